package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A facilitator reached over the standard HTTP API ({@code PURSER_FACILITATOR_URL}). A settle
 * that times out or breaks is {@link SettleOutcome.Unknown}: the money may have moved.
 */
public final class RemoteFacilitator implements Facilitator {

    private final URI base;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Duration timeout;

    public RemoteFacilitator(String baseUrl, ObjectMapper json, Duration timeout) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.json = json;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public ObjectNode verify(JsonNode paymentPayload, JsonNode paymentRequirements) {
        try {
            JsonNode r = post("verify", body(paymentPayload, paymentRequirements));
            return r.isObject() ? (ObjectNode) r : invalid("unexpected_verify_error");
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return invalid("unexpected_verify_error");
        }
    }

    @Override
    public SettleOutcome settle(JsonNode paymentPayload, JsonNode paymentRequirements) {
        try {
            JsonNode r = post("settle", body(paymentPayload, paymentRequirements));
            if (!r.isObject() || !r.has("success")) {
                return new SettleOutcome.Unknown("the facilitator answered no SettleResponse");
            }
            return r.get("success").asBoolean() ? new SettleOutcome.Settled((ObjectNode) r)
                    : new SettleOutcome.Failed((ObjectNode) r, r.path("errorReason").asText("settle_failed"));
        } catch (IOException e) {
            return new SettleOutcome.Unknown("facilitator unreachable or too slow: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SettleOutcome.Unknown("interrupted while settling");
        }
    }

    @Override
    public ObjectNode supported() {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve("supported"))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return (ObjectNode) json.readTree(r.body());
        } catch (IOException | InterruptedException | ClassCastException e) {
            throw new IllegalStateException("facilitator /supported failed", e);
        }
    }

    private ObjectNode body(JsonNode payload, JsonNode requirements) {
        ObjectNode b = json.createObjectNode();
        b.put("x402Version", payload.path("x402Version").asInt(1));
        b.set("paymentPayload", payload);
        b.set("paymentRequirements", requirements);
        return b;
    }

    private JsonNode post(String path, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() >= 500) {
            throw new IOException("facilitator answered HTTP " + r.statusCode());
        }
        return json.readTree(r.body());
    }

    private ObjectNode invalid(String reason) {
        ObjectNode o = json.createObjectNode();
        o.put("isValid", false);
        o.put("invalidReason", reason);
        return o;
    }
}
