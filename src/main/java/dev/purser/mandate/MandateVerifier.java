package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.Optional;

/**
 * The pure core of mandate registration: a request body in, a verified {@link Mandate} or a
 * refusal out. It checks everything a mandate can be checked for alone — JSON Schema, signature,
 * validity window, asset, amounts, AP2 constraints — in that order, so that a forged document is
 * refused for its signature before anything it claims is looked at. What needs stored state is
 * the caller's, in this order: for a child, look up the parent and run {@link Delegation#check};
 * then open the envelope (root) or carve it out of the parent (child), idempotently by id.
 *
 * <p>Thread-safe and free of I/O; time comes from the clock it is given.
 */
public final class MandateVerifier {

    private final MandatePolicy policy;

    private final Clock clock;

    private final MandateSchemas schemas;

    public MandateVerifier(MandatePolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.schemas = MandateSchemas.load();
    }

    public MandatePolicy policy() {
        return policy;
    }

    /**
     * Verifies a registration body of either form, told apart by its one top-level member:
     * {@code mandate} (EIP-712) or {@code sdJwt} (AP2).
     */
    public MandateCheck verify(String body) {
        try {
            JsonNode json = object(body);
            if (json.has("mandate")) {
                valid(MandateSchemas.Kind.EIP712_MANDATE, body);
                return new MandateCheck.Accepted(
                        Eip712Mandates.read(json, policy, clock.instant()));
            }
            if (json.has("sdJwt")) {
                valid(MandateSchemas.Kind.AP2_SDJWT_MANDATE, body);
                return new MandateCheck.Accepted(
                        Ap2Mandates.read(json, policy, clock.instant(), schemas));
            }
            return MandateCheck.refuse(MandateRefusal.Reason.INVALID, "mandate",
                    "the body must hold either mandate and signature (EIP-712) or sdJwt (AP2)");
        } catch (Refuse refusal) {
            return new MandateCheck.Refused(refusal.refusal());
        }
    }

    static JsonNode object(String body) {
        return switch (RequestJson.read(body)) {
            case RequestJson.Read.Object object -> object.json();
            case RequestJson.Read.Refused refused -> throw new Refuse(refused.refusal());
        };
    }

    void valid(MandateSchemas.Kind kind, String body) {
        Optional<MandateRefusal> refusal = schemas.validate(kind, body);
        if (refusal.isPresent()) {
            throw new Refuse(refusal.get());
        }
    }

    Clock clock() {
        return clock;
    }
}
