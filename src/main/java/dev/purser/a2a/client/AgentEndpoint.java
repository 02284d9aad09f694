package dev.purser.a2a.client;

import java.net.URI;
import java.util.Objects;

/**
 * Where and how to call an agent: its JSON-RPC interface URL, the protocol version to speak
 * there, and whether it streams (from its card's capabilities).
 */
public record AgentEndpoint(URI url, A2aVersion version, boolean streaming) {

    public AgentEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(version, "version");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("an A2A interface URL is http or https: " + url);
        }
    }

    /** An endpoint known without its card; assumed to stream. */
    public static AgentEndpoint of(String url, A2aVersion version) {
        return new AgentEndpoint(URI.create(url), version, true);
    }
}
