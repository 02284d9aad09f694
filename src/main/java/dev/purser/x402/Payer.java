package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Keccak256;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.crypto.ServerKey;
import dev.purser.crypto.Signature;
import dev.purser.money.Asset;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The paying side of x402 {@code exact} (x402.md §1–§3): given a server's payment-required object,
 * signs an EIP-3009 {@code TransferWithAuthorization} for the first requirement it may pay, in the
 * version the server asked in. It pays only what the caller allows: a scheme other than
 * {@code exact}, an asset or network Purser does not know, or an amount above the caller's maximum
 * is a {@link Refused} value, never a signature. The nonce is the caller's: a nonce derived from
 * what is being paid for ({@link #nonceFor}) makes a retry re-sign the same authorization, which
 * the token (and every honest facilitator) honours at most once.
 */
public final class Payer {

    /** Reference-client default (x402.md §4): valid from ten minutes ago, to absorb clock skew. */
    static final long VALID_AFTER_SLACK_SECONDS = 600;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String NONCE_TAG = "purser.x402.nonce.v1";

    private final Address address;
    private final Function<Bytes32, Signature> signer;
    private final Clock clock;

    private Payer(Address address, Function<Bytes32, Signature> signer, Clock clock) {
        this.address = Objects.requireNonNull(address, "address");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static Payer of(Secp256k1Key key, Clock clock) {
        return new Payer(key.address(), key::sign, clock);
    }

    /** The operator's wallet key (a {@link ServerKey} kept in the data directory). */
    public static Payer of(ServerKey key, Clock clock) {
        return new Payer(key.address(), key::sign, clock);
    }

    /** The address that pays: {@code authorization.from}. */
    public Address address() {
        return address;
    }

    /** What {@link #pay} decided. */
    public sealed interface Payment {
    }

    /**
     * A signed payment: {@code payload} is the PaymentPayload to send as
     * {@code x402.payment.payload} (v1 or v2, as the server asked), {@code requirement} the
     * option paid, {@code accepted} that option as the server wrote it.
     */
    public record Signed(ObjectNode payload, int x402Version, PaymentRequirement requirement,
            JsonNode accepted, Bytes32 nonce) implements Payment {

        public long amount() {
            return requirement.amount();
        }
    }

    /** No payment: why, and a sentence for people. */
    public record Refused(Refusal reason, String detail) implements Payment {
    }

    /** Why a payment was not signed; the first option's reason when none could be paid. */
    public enum Refusal {
        /** Not a payment-required object, or an option without the fields exact needs. */
        MALFORMED,
        /** A scheme other than {@code exact}. */
        UNSUPPORTED_SCHEME,
        /** An asset or network that is not a USDC deployment Purser knows. */
        UNKNOWN_ASSET,
        /** A known asset, but not the one the caller pays in (its maximum is in that one). */
        OTHER_ASSET,
        /** More than the caller's maximum. */
        AMOUNT_EXCEEDS_MAXIMUM,
        /** Signed, but the caller declined to send it (e.g. it paid this agent already). */
        DECLINED
    }

    /**
     * Signs a payment for the first option of {@code paymentRequired} ({@code {x402Version,
     * accepts:[…]}}, x402.md §1.2) that is {@code exact}, in {@code asset} (a USDC Purser knows),
     * and costs at most {@code maxAmount} atomic units of it. validAfter is ten minutes back,
     * validBefore {@code maxTimeoutSeconds} ahead; the EIP-712 domain is the option's
     * {@code extra.name} and {@code extra.version} (else the known token's), its chain and its
     * asset contract.
     */
    public Payment pay(JsonNode paymentRequired, Asset asset, long maxAmount, Bytes32 nonce) {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(nonce, "nonce");
        if (paymentRequired == null || !paymentRequired.isObject()) {
            return new Refused(Refusal.MALFORMED, "the payment-required answer is not an object");
        }
        int version = paymentRequired.path("x402Version").asInt(0);
        JsonNode accepts = paymentRequired.get("accepts");
        if ((version != 1 && version != 2) || accepts == null || !accepts.isArray()
                || accepts.isEmpty()) {
            return new Refused(Refusal.MALFORMED,
                    "the payment-required answer needs x402Version 1 or 2 and accepts[]");
        }
        Refused first = null;
        for (JsonNode option : accepts) {
            Optional<Refused> refused = refusal(option, asset, maxAmount);
            if (refused.isEmpty()) {
                PaymentRequirement requirement = PaymentRequirement.fromJson(option).orElseThrow();
                return sign(paymentRequired, version, option, requirement, nonce);
            }
            first = first == null ? refused.get() : first;
        }
        return first;
    }

    /**
     * The nonce of the one payment a task may make to a provider: keccak-256 over
     * {@code "purser.x402.nonce.v1"} ‖ u32be(len(taskId)) ‖ taskId ‖ u32be(len(providerId)) ‖
     * providerId, the strings in UTF-8 and each length in bytes. Lengths make the split
     * unambiguous, the tag keeps it apart from any other hash Purser takes.
     */
    public static Bytes32 nonceFor(String taskId, String providerId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(NONCE_TAG.getBytes(StandardCharsets.UTF_8));
        for (String part : new String[] {taskId, providerId}) {
            byte[] bytes = Objects.requireNonNull(part, "taskId and providerId")
                    .getBytes(StandardCharsets.UTF_8);
            out.writeBytes(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                    (byte) (bytes.length >>> 8), (byte) bytes.length});
            out.writeBytes(bytes);
        }
        return Keccak256.hash(out.toByteArray());
    }

    private static Optional<Refused> refusal(JsonNode option, Asset allowed, long maxAmount) {
        if (!option.isObject()) {
            return Optional.of(new Refused(Refusal.MALFORMED,
                    "an accepts[] entry is not an object"));
        }
        String scheme = option.path("scheme").asText("");
        if (!PaymentRequirement.SCHEME.equals(scheme)) {
            return Optional.of(new Refused(Refusal.UNSUPPORTED_SCHEME,
                    "scheme " + scheme + " is not paid; only exact"));
        }
        String network = option.path("network").asText("");
        Optional<Asset> asset = X402Network.toCaip2(network).flatMap(Asset::usdcOn);
        if (asset.isEmpty() || !asset.get().isToken(option.path("asset").asText(null))) {
            return Optional.of(new Refused(Refusal.UNKNOWN_ASSET, "asset "
                    + option.path("asset").asText("?") + " on " + network
                    + " is not a USDC deployment Purser knows"));
        }
        if (!asset.get().equals(allowed)) {
            // amounts of different assets are never compared: another asset is not paid at all
            return Optional.of(new Refused(Refusal.OTHER_ASSET, "the agent asks for USDC on "
                    + asset.get().network() + "; this payment is in USDC on " + allowed.network()));
        }
        String amount = option.has("amount") ? option.path("amount").asText("")
                : option.path("maxAmountRequired").asText("");
        if (amount.matches("[1-9][0-9]{18,}")
                || (amount.matches("0|[1-9][0-9]{0,17}") && Long.parseLong(amount) > maxAmount)) {
            return Optional.of(new Refused(Refusal.AMOUNT_EXCEEDS_MAXIMUM,
                    "the agent asks " + amount + " atomic units, more than the " + maxAmount
                            + " allowed"));
        }
        if (PaymentRequirement.fromJson(option).isEmpty()) {
            return Optional.of(new Refused(Refusal.MALFORMED, "the exact option needs amount,"
                    + " payTo and a positive maxTimeoutSeconds"));
        }
        return Optional.empty();
    }

    private Signed sign(JsonNode paymentRequired, int version, JsonNode option,
            PaymentRequirement requirement, Bytes32 nonce) {
        long now = clock.instant().getEpochSecond();
        ObjectNode authorization = F.objectNode();
        authorization.put("from", address.checksummed());
        authorization.put("to", requirement.payTo().checksummed());
        authorization.put("value", Long.toString(requirement.amount()));
        long validAfter = Math.max(0, now - VALID_AFTER_SLACK_SECONDS);
        authorization.put("validAfter", Long.toString(validAfter));
        authorization.put("validBefore", Long.toString(now + requirement.maxTimeoutSeconds()));
        authorization.put("nonce", nonce.hex());
        Asset asset = requirement.asset();
        JsonNode extra = option.path("extra");
        ObjectNode domain = PurserTypes.tokenDomain(
                extra.path("name").asText(asset.eip712Name()),
                extra.path("version").asText(asset.eip712Version()), asset.chainId(),
                Address.of(asset.address()));
        Bytes32 digest = PurserTypes.TRANSFER_WITH_AUTHORIZATION.typedData(domain, authorization)
                .digest();

        ObjectNode payload = F.objectNode();
        payload.put("x402Version", version);
        if (version == 1) {
            payload.put("scheme", PaymentRequirement.SCHEME);
            payload.put("network", option.path("network").asText());
        } else {
            if (paymentRequired.has("resource")) {
                payload.set("resource", paymentRequired.get("resource"));
            }
            payload.set("accepted", option);
            // v2: the server's extensions are echoed, never dropped (x402.md §1.6)
            if (paymentRequired.has("extensions")) {
                payload.set("extensions", paymentRequired.get("extensions"));
            }
        }
        ObjectNode inner = payload.putObject("payload");
        inner.put("signature", signer.apply(digest).hex());
        inner.set("authorization", authorization);
        return new Signed(payload, version, requirement, option, nonce);
    }
}
