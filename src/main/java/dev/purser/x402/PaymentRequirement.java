package dev.purser.x402;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.money.Asset;
import java.util.Objects;

/**
 * One way to pay that Purser offers: scheme {@code exact}, an EIP-3009 transfer of exactly
 * {@code amount} atomic units of {@code asset} to {@code payTo} (x402.md §1.1).
 */
public record PaymentRequirement(Asset asset, long amount, Address payTo, int maxTimeoutSeconds,
        String resource, String description) {

    public static final String SCHEME = "exact";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public PaymentRequirement {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(payTo, "payTo");
        Objects.requireNonNull(resource, "resource");
        if (amount < 0) {
            throw new IllegalArgumentException("amount is not negative");
        }
        if (maxTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("maxTimeoutSeconds is positive");
        }
    }

    /**
     * Reads a requirement in either version's shape (as a facilitator receives it), or empty when
     * it names an asset Purser does not know for its network, or is malformed.
     */
    public static java.util.Optional<PaymentRequirement> fromJson(com.fasterxml.jackson.databind.JsonNode o) {
        if (o == null || !o.isObject() || !SCHEME.equals(o.path("scheme").asText())) {
            return java.util.Optional.empty();
        }
        java.util.Optional<String> network = X402Network.toCaip2(o.path("network").asText(null));
        java.util.Optional<Asset> asset = network.flatMap(Asset::usdcOn)
                .filter(a -> a.isToken(o.path("asset").asText(null)));
        String amount = o.has("amount") ? o.path("amount").asText("") : o.path("maxAmountRequired").asText("");
        java.util.Optional<Address> payTo = Address.parse(o.path("payTo").asText(null));
        if (asset.isEmpty() || payTo.isEmpty() || !amount.matches("0|[1-9][0-9]{0,17}")
                || !o.path("maxTimeoutSeconds").canConvertToInt() || o.path("maxTimeoutSeconds").asInt() <= 0) {
            return java.util.Optional.empty();
        }
        String resource = o.path("resource").isTextual() ? o.path("resource").asText() : "";
        return java.util.Optional.of(new PaymentRequirement(asset.get(), Long.parseLong(amount),
                payTo.get(), o.path("maxTimeoutSeconds").asInt(), resource,
                o.path("description").asText(null)));
    }

    /** The requirement as the given x402 version writes it. */
    public ObjectNode toJson(int x402Version) {
        ObjectNode o = F.objectNode();
        o.put("scheme", SCHEME);
        if (x402Version == 1) {
            o.put("network", X402Network.toV1Name(asset.network()).orElse(asset.network()));
            o.put("maxAmountRequired", Long.toString(amount));
            o.put("resource", resource);
            o.put("description", description == null ? "" : description);
            o.put("mimeType", "application/json");
        } else {
            o.put("network", asset.network());
            o.put("amount", Long.toString(amount));
        }
        o.put("asset", Address.of(asset.address()).checksummed());
        o.put("payTo", payTo.checksummed());
        o.put("maxTimeoutSeconds", maxTimeoutSeconds);
        ObjectNode extra = o.putObject("extra");
        extra.put("name", asset.eip712Name());
        extra.put("version", asset.eip712Version());
        return o;
    }

    /** The "payment required" object: v1 PaymentRequirementsResponse / v2 PaymentRequired. */
    public ObjectNode paymentRequired(int x402Version, String error) {
        ObjectNode o = F.objectNode();
        o.put("x402Version", x402Version);
        o.put("error", error);
        if (x402Version == 2) {
            ObjectNode r = o.putObject("resource");
            r.put("url", resource);
            if (description != null) {
                r.put("description", description);
            }
            r.put("mimeType", "application/json");
        }
        o.putArray("accepts").add(toJson(x402Version));
        return o;
    }
}
