package dev.purser.a2a.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Another agent's card, as far as calling it goes: its name, its JSON-RPC interfaces in each
 * version it speaks (1.0 {@code supportedInterfaces}, 0.3 {@code url} and
 * {@code additionalInterfaces}; a union card has both), whether it streams, its skill ids, and
 * the whole document for anything else (prices in extension params, for instance).
 *
 * @param url where the card was read
 * @param endpoints the JSON-RPC interfaces, 1.0 ones first, each once
 */
public record RemoteCard(URI url, ObjectNode json, String name, List<AgentEndpoint> endpoints,
        boolean streaming, List<String> skillIds) {

    public RemoteCard {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(json, "json");
        endpoints = List.copyOf(endpoints);
        skillIds = List.copyOf(skillIds);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no JSON-RPC interface");
        }
    }

    /** The interface to prefer: the first 1.0 one, else the first 0.3 one. */
    public AgentEndpoint endpoint() {
        return endpoints.getFirst();
    }

    /** The interface of that version, if the card lists one. */
    public Optional<AgentEndpoint> endpoint(A2aVersion version) {
        return endpoints.stream().filter(e -> e.version() == version).findFirst();
    }

    /** The declared extension with that URI ({@code capabilities.extensions[]}), if any. */
    public Optional<ObjectNode> extension(String uri) {
        for (JsonNode e : json.path("capabilities").path("extensions")) {
            if (e.isObject() && uri.equals(e.path("uri").asText(null))) {
                return Optional.of((ObjectNode) e);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a card of either version.
     *
     * @throws IllegalArgumentException naming what is missing: a name, or any JSON-RPC interface
     *     in 0.3 or 1.0 with an http(s) URL
     */
    public static RemoteCard parse(URI url, JsonNode card) {
        if (card == null || !card.isObject()) {
            throw new IllegalArgumentException("the card is not a JSON object");
        }
        String name = card.path("name").asText("");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the card has no name");
        }
        boolean streaming = card.path("capabilities").path("streaming").asBoolean(false);
        List<AgentEndpoint> v10 = new ArrayList<>();
        List<AgentEndpoint> v03 = new ArrayList<>();
        for (JsonNode i : card.path("supportedInterfaces")) {
            add(i.path("url").asText(null), i.path("protocolBinding").asText(""),
                    i.path("protocolVersion").asText(null), streaming, v10, v03);
        }
        if (card.hasNonNull("url")) {
            String version = card.path("protocolVersion").asText("0.3.0");
            add(card.path("url").asText(null), card.path("preferredTransport").asText("JSONRPC"),
                    version, streaming, v10, v03);
            for (JsonNode i : card.path("additionalInterfaces")) {
                add(i.path("url").asText(null), i.path("transport").asText(""), version,
                        streaming, v10, v03);
            }
        }
        List<AgentEndpoint> endpoints = new ArrayList<>(v10);
        endpoints.addAll(v03);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("the card lists no JSON-RPC interface in A2A 0.3"
                    + " or 1.0");
        }
        List<String> skills = new ArrayList<>();
        for (JsonNode s : card.path("skills")) {
            if (s.hasNonNull("id")) {
                skills.add(s.get("id").asText());
            }
        }
        return new RemoteCard(url, (ObjectNode) card, name, endpoints, streaming, skills);
    }

    private static void add(String url, String binding, String version, boolean streaming,
            List<AgentEndpoint> v10, List<AgentEndpoint> v03) {
        Optional<A2aVersion> v = A2aVersion.parse(version);
        if (url == null || !"JSONRPC".equalsIgnoreCase(binding) || v.isEmpty()) {
            return;
        }
        AgentEndpoint e;
        try {
            e = new AgentEndpoint(URI.create(url), v.get(), streaming);
        } catch (IllegalArgumentException notHttp) {
            return;
        }
        List<AgentEndpoint> list = v.get() == A2aVersion.V1_0 ? v10 : v03;
        if (list.stream().noneMatch(x -> x.url().equals(e.url()))) {
            list.add(e);
        }
    }
}
