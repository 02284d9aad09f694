package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A client's payment: an EIP-3009 {@code TransferWithAuthorization} and its signature, in an x402
 * v1 or v2 envelope (told apart by {@code x402Version}, x402.md §1.3). Parsing checks shape only
 * (rule 1); what it means is {@link Eip3009Verifier}'s to decide.
 */
public record PaymentPayload(int x402Version, String scheme, String network, JsonNode accepted,
        String signature, Address from, Address to, BigInteger value, BigInteger validAfter,
        BigInteger validBefore, Bytes32 nonce, JsonNode raw) {

    private static final BigInteger UINT256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    /** The parsed payload, or the refusal ({@code invalid_x402_version} / {@code invalid_payload}). */
    public sealed interface Parse {
    }

    public record Parsed(PaymentPayload payload) implements Parse {
    }

    public record Refused(PaymentRefusal refusal) implements Parse {
    }

    public static Parse parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            return invalid("the payment payload must be an object");
        }
        JsonNode v = json.get("x402Version");
        if (v == null || !v.isIntegralNumber() || (v.intValue() != 1 && v.intValue() != 2)) {
            return new Refused(PaymentRefusal.of("invalid_x402_version", X402Error.INVALID_SIGNATURE,
                    "x402Version must be 1 or 2"));
        }
        int version = v.intValue();
        String scheme;
        String network;
        JsonNode accepted = null;
        if (version == 1) {
            scheme = text(json, "scheme");
            network = text(json, "network");
        } else {
            accepted = json.get("accepted");
            if (accepted == null || !accepted.isObject()) {
                return invalid("accepted is required in an x402 v2 payload");
            }
            scheme = text(accepted, "scheme");
            network = text(accepted, "network");
        }
        if (scheme == null || network == null) {
            return invalid("scheme and network are required");
        }
        JsonNode payload = json.get("payload");
        if (payload == null || !payload.isObject()) {
            return invalid("payload is required");
        }
        String signature = text(payload, "signature");
        JsonNode auth = payload.get("authorization");
        if (signature == null || auth == null || !auth.isObject()) {
            return invalid("payload.signature and payload.authorization are required");
        }
        if (!Hex.isHex(signature, 65)) {
            return new Refused(PaymentRefusal.of("invalid_exact_evm_payload_signature",
                    X402Error.INVALID_SIGNATURE, "payload.signature must be 0x + 65 bytes"));
        }
        Optional<Address> from = Address.parse(text(auth, "from"));
        Optional<Address> to = Address.parse(text(auth, "to"));
        BigInteger value = uint(auth, "value");
        BigInteger validAfter = uint(auth, "validAfter");
        BigInteger validBefore = uint(auth, "validBefore");
        String nonce = text(auth, "nonce");
        if (from.isEmpty() || to.isEmpty()) {
            return invalid("authorization.from and authorization.to must be addresses");
        }
        if (value == null || validAfter == null || validBefore == null) {
            return invalid("authorization.value, validAfter and validBefore must be decimal strings"
                    + " of unsigned integers");
        }
        if (nonce == null || !Hex.isHex(nonce, 32)) {
            return invalid("authorization.nonce must be 0x + 32 bytes");
        }
        return new Parsed(new PaymentPayload(version, scheme, network, accepted, signature,
                from.get(), to.get(), value, validAfter, validBefore, Bytes32.fromHex(nonce), json));
    }

    private static Refused invalid(String detail) {
        return new Refused(PaymentRefusal.of("invalid_payload", X402Error.INVALID_SIGNATURE, detail));
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** A uint256 as a decimal string (JSON numbers are refused: they lose precision elsewhere). */
    private static BigInteger uint(JsonNode o, String field) {
        String s = text(o, field);
        if (s == null || !s.matches("0|[1-9][0-9]{0,77}")) {
            return null;
        }
        BigInteger b = new BigInteger(s);
        return b.compareTo(UINT256_MAX) <= 0 ? b : null;
    }
}
