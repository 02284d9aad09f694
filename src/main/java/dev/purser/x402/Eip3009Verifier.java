package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Recovery;
import dev.purser.crypto.Secp256k1;
import dev.purser.crypto.Signature;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * The checks a payment must pass before Purser reserves money or runs work for it: every rule of
 * x402.md §4 that needs no chain (1–12, EOA signatures). The nonce (rule 13) is checked where it
 * is recorded, atomically, by the caller. First failure wins; each has its spec reason and the
 * A2A extension's code.
 */
public final class Eip3009Verifier {

    /** Block-time margin: an authorization must still be valid this long after we accept it. */
    static final long VALID_BEFORE_MARGIN_SECONDS = 6;
    /** Clock skew we tolerate beyond maxTimeoutSeconds before calling an authorization banked. */
    static final long SKEW_SECONDS = 60;

    /** The outcome: the payer and the canonical signature, or why not. */
    public sealed interface Verification {
    }

    public record Valid(Address payer, Signature signature, Bytes32 digest) implements Verification {
    }

    public record Invalid(PaymentRefusal refusal) implements Verification {
    }

    private Eip3009Verifier() {
    }

    public static Verification verify(PaymentPayload p, PaymentRequirement offer, Instant now) {
        Optional<Invalid> broken = rules(p, offer, now);
        if (broken.isPresent()) {
            return broken.get();
        }
        Bytes32 digest = digest(p, offer);
        Recovery r = Secp256k1.recover(digest, p.signature());
        return switch (r) {
            case Recovery.Refused refused -> invalid("invalid_exact_evm_payload_signature",
                    X402Error.INVALID_SIGNATURE, "signature refused: " + refused.reason());
            case Recovery.Recovered rec -> rec.signer().equals(p.from())
                    ? new Valid(p.from(), rec.signature(), digest)
                    : invalid("invalid_exact_evm_payload_signature", X402Error.INVALID_SIGNATURE,
                            "the signature is not by authorization.from");
        };
    }

    /**
     * {@link #verify} again at {@code now} for a payment it found {@code valid} in this process:
     * the same rules (time may have run out since), and the signer recovered then (recovery is
     * most of the cost, and the signed content cannot have changed).
     */
    public static Verification recheck(PaymentPayload p, PaymentRequirement offer, Valid valid,
            Instant now) {
        Optional<Invalid> broken = rules(p, offer, now);
        return broken.isPresent() ? broken.get() : valid;
    }

    /** Every rule but the signature's, first failure first. */
    private static Optional<Invalid> rules(PaymentPayload p, PaymentRequirement offer, Instant now) {
        if (!PaymentRequirement.SCHEME.equals(p.scheme())) {
            return refused("unsupported_scheme", X402Error.INVALID_SIGNATURE,
                    "scheme " + p.scheme() + " is not offered; use exact");
        }
        Optional<String> network = X402Network.toCaip2(p.network());
        if (network.isEmpty() || !network.get().equals(offer.asset().network())) {
            return refused("network_mismatch", X402Error.NETWORK_MISMATCH, "signed for network "
                    + p.network() + ", but the requirement is " + offer.asset().network());
        }
        if (p.x402Version() == 2) {
            Optional<Invalid> mismatch = checkAccepted(p.accepted(), offer);
            if (mismatch.isPresent()) {
                return mismatch;
            }
        }
        if (!p.to().equals(offer.payTo())) {
            return refused("invalid_exact_evm_payload_recipient_mismatch", X402Error.INVALID_PAYEE,
                    "authorization.to is " + p.to() + ", not the payee " + offer.payTo());
        }
        if (p.from().equals(offer.payTo())) {
            return refused("invalid_exact_evm_payload_recipient_mismatch", X402Error.INVALID_PAYEE,
                    "the payer cannot be the payee");
        }
        if (!p.value().equals(BigInteger.valueOf(offer.amount()))) {
            return refused(p.x402Version() == 1 ? "invalid_exact_evm_payload_authorization_value"
                    : "invalid_exact_evm_payload_authorization_value_mismatch", X402Error.INVALID_AMOUNT,
                    "authorization.value is " + p.value() + ", the price is " + offer.amount());
        }
        BigInteger nowSeconds = BigInteger.valueOf(now.getEpochSecond());
        if (p.validBefore().compareTo(nowSeconds.add(BigInteger.valueOf(VALID_BEFORE_MARGIN_SECONDS))) < 0) {
            return refused("invalid_exact_evm_payload_authorization_valid_before",
                    X402Error.EXPIRED_PAYMENT, "the authorization expires at " + p.validBefore());
        }
        if (p.validAfter().compareTo(nowSeconds) > 0) {
            return refused("invalid_exact_evm_payload_authorization_valid_after",
                    X402Error.EXPIRED_PAYMENT, "the authorization is not valid before " + p.validAfter());
        }
        BigInteger longest = nowSeconds.add(BigInteger.valueOf(offer.maxTimeoutSeconds() + SKEW_SECONDS));
        if (p.validBefore().compareTo(longest) > 0) {
            // a long-lived authorization could be banked and settled much later (x402.md §4 policy)
            return refused("invalid_exact_evm_payload_authorization_valid_before",
                    X402Error.EXPIRED_PAYMENT, "the authorization is valid for longer than "
                            + offer.maxTimeoutSeconds() + " seconds");
        }
        return Optional.empty();
    }

    /** The EIP-712 digest the payer signs, in the token's domain of the offered asset. */
    public static Bytes32 digest(PaymentPayload p, PaymentRequirement offer) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("from", p.from().toString());
        m.put("to", p.to().toString());
        m.put("value", p.value().toString());
        m.put("validAfter", p.validAfter().toString());
        m.put("validBefore", p.validBefore().toString());
        m.put("nonce", p.nonce().hex());
        return PurserTypes.TRANSFER_WITH_AUTHORIZATION
                .typedData(PurserTypes.tokenDomain(offer.asset()), m).digest();
    }

    /** v2 echoes the chosen requirement: it must be the one offered, field by field. */
    private static Optional<Invalid> checkAccepted(JsonNode a, PaymentRequirement offer) {
        if (!offer.asset().isToken(text(a, "asset"))) {
            return Optional.of(invalid("invalid_payment_requirements", X402Error.INVALID_AMOUNT,
                    "accepted.asset is not the offered asset " + offer.asset().address()));
        }
        if (!Long.toString(offer.amount()).equals(text(a, "amount"))) {
            return Optional.of(invalid("invalid_exact_evm_payload_authorization_value_mismatch",
                    X402Error.INVALID_AMOUNT, "accepted.amount is not the price " + offer.amount()));
        }
        Optional<Address> payTo = Address.parse(text(a, "payTo"));
        if (payTo.isEmpty() || !payTo.get().equals(offer.payTo())) {
            return Optional.of(invalid("invalid_exact_evm_payload_recipient_mismatch",
                    X402Error.INVALID_PAYEE, "accepted.payTo is not the payee " + offer.payTo()));
        }
        JsonNode extra = a.get("extra");
        if (extra == null || !offer.asset().eip712Name().equals(text(extra, "name"))
                || !offer.asset().eip712Version().equals(text(extra, "version"))) {
            return Optional.of(invalid("missing_eip712_domain", X402Error.INVALID_SIGNATURE,
                    "accepted.extra must carry the token's EIP-712 name and version"));
        }
        return Optional.empty();
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static Optional<Invalid> refused(String reason, X402Error error, String detail) {
        return Optional.of(invalid(reason, error, detail));
    }

    private static Invalid invalid(String reason, X402Error error, String detail) {
        return new Invalid(PaymentRefusal.of(reason, error, detail));
    }
}
