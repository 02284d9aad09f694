package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.purser.money.Amount;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What Purser needs of a provider's agent card, read from either protocol version: 1.0 cards name
 * their endpoints in {@code supportedInterfaces}, 0.3 cards in {@code url} /
 * {@code preferredTransport} / {@code protocolVersion} (a union card has both; 1.0 is preferred).
 * Only JSON-RPC interfaces count: that is the binding Purser speaks.
 *
 * @param protocolVersion {@code "1.0"} or {@code "0.3"}
 */
record ProviderCard(String name, String description, String protocolVersion, String interfaceUrl,
        boolean streaming, List<RemoteSkill> skills) {

    static final String V10 = "1.0";
    static final String V03 = "0.3";
    private static final String JSONRPC = "JSONRPC";

    /**
     * A skill as the card lists it, with its price from the card's x402 extension params when it
     * has one ({@code params.skills.<id>.amount}, as Purser's own card publishes it), and the
     * network and asset that price is in when the card names them.
     */
    record RemoteSkill(String id, String name, String description, List<String> tags,
            List<String> examples, List<String> inputModes, List<String> outputModes,
            Optional<Long> price, Optional<String> network, Optional<String> asset) {
    }

    /** @throws MarketRefusal.Refused {@code card_invalid} naming what is wrong */
    static ProviderCard parse(JsonNode card) {
        if (card == null || !card.isObject()) {
            throw invalid("the card is not a JSON object");
        }
        String name = text(card, "name").filter(s -> !s.isBlank())
                .orElseThrow(() -> invalid("the card has no name"));
        String[] endpoint = endpoint(card);
        JsonNode skills = card.get("skills");
        if (skills == null || !skills.isArray()) {
            throw invalid("the card has no skills array");
        }
        JsonNode prices = x402Params(card);
        List<RemoteSkill> out = new ArrayList<>();
        for (JsonNode s : skills) {
            String id = text(s, "id").filter(v -> !v.isBlank())
                    .orElseThrow(() -> invalid("a skill of the card has no id"));
            if (out.stream().anyMatch(o -> o.id().equals(id))) {
                throw invalid("the card lists skill '" + id + "' twice");
            }
            JsonNode price = prices.path("skills").path(id);
            Optional<Long> amount = Optional.empty();
            if (price.has("amount")) {
                JsonNode a = price.get("amount");
                amount = Optional.of(a.isTextual() ? Amount.parse(a.asText()).toOptional()
                        .map(Amount::units).orElse(-1L) : -1L).filter(v -> v >= 0);
                if (amount.isEmpty()) {
                    throw invalid("skill '" + id + "': the x402 params amount must be a decimal"
                            + " string of atomic units");
                }
            }
            out.add(new RemoteSkill(id, text(s, "name").orElse(id), text(s, "description").orElse(""),
                    strings(s, "tags"), strings(s, "examples"), strings(s, "inputModes"),
                    strings(s, "outputModes"), amount,
                    text(price, "network").or(() -> text(prices, "network")),
                    text(price, "asset").or(() -> text(prices, "asset"))));
        }
        return new ProviderCard(name, text(card, "description").orElse(""), endpoint[0], endpoint[1],
                card.path("capabilities").path("streaming").asBoolean(false), List.copyOf(out));
    }

    /** {version, url} of the JSON-RPC interface to call: 1.0 when offered, else 0.3. */
    private static String[] endpoint(JsonNode card) {
        String v03 = null;
        for (JsonNode i : card.path("supportedInterfaces")) {
            if (!JSONRPC.equalsIgnoreCase(i.path("protocolBinding").asText())) {
                continue;
            }
            String url = absolute(i.path("url").asText(null));
            String version = i.path("protocolVersion").asText("");
            if (version.equals("1") || version.startsWith("1.")) {
                return new String[] {V10, url};
            }
            if (version.startsWith("0.3") && v03 == null) {
                v03 = url;
            }
        }
        if (v03 != null) {
            return new String[] {V03, v03};
        }
        if (card.hasNonNull("url")) {
            String transport = card.path("preferredTransport").asText(JSONRPC);
            String version = card.path("protocolVersion").asText("0.3.0");
            String pv = version.startsWith("1.") ? V10 : V03;
            if (JSONRPC.equalsIgnoreCase(transport)) {
                return new String[] {pv, absolute(card.get("url").asText())};
            }
            for (JsonNode i : card.path("additionalInterfaces")) {
                if (JSONRPC.equalsIgnoreCase(i.path("transport").asText())) {
                    return new String[] {pv, absolute(i.path("url").asText(null))};
                }
            }
        }
        throw invalid("the card offers no JSON-RPC interface (supportedInterfaces or url)");
    }

    private static String absolute(String url) {
        try {
            URI u = url == null ? null : new URI(url);
            String scheme = u == null || u.getScheme() == null ? ""
                    : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw invalid("the card's interface URL is not an absolute http(s) URL: " + url);
    }

    /** The x402 extension's params (v0.1 or v0.2 URI), or a missing node. */
    private static JsonNode x402Params(JsonNode card) {
        for (JsonNode e : card.path("capabilities").path("extensions")) {
            if (e.path("uri").asText().contains("a2a-x402")) {
                return e.path("params");
            }
        }
        return MissingNode.getInstance();
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        n.path(field).forEach(v -> {
            if (v.isTextual()) {
                out.add(v.asText());
            }
        });
        return out;
    }

    private static MarketRefusal.Refused invalid(String message) {
        return MarketRefusal.of(MarketRefusal.CARD_INVALID, message, "cardUrl").exception();
    }
}
