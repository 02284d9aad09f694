package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Es256;
import dev.purser.crypto.Jws;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Recovery;
import dev.purser.crypto.Signature;
import dev.purser.crypto.TokenParse;
import dev.purser.crypto.TypedDataSchema;
import dev.purser.money.Amount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Verifies the two signed requests made against a registered mandate: its principal's
 * revocation and its agent's direct draw. Both are EIP-712 structs in the Purser Mandate domain,
 * so one recovery path serves them and mandates alike. Pure: the target mandate is passed in.
 */
public final class SignedRequests {

    /** The JWS {@code typ} of an AP2 mandate's revocation. */
    static final String REVOCATION_TYP = "purser-revocation+jwt";

    /** Tolerated clock difference for a revocation dated slightly in Purser's future. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final MandateVerifier verifier;

    public SignedRequests(MandateVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * Verifies {@code POST /api/a2a/mandates/{id}/revoke} for {@code target}, the mandate {id}
     * names: the revocation must name the same id and be signed by its principal.
     */
    public Verification<Revocation> revocation(String body, Mandate target) {
        try {
            JsonNode json = MandateVerifier.object(body);
            if (target.principal() instanceof Party.P256Key issuer) {
                return ap2Revocation(json, target, issuer);
            }
            verifier.valid(MandateSchemas.Kind.REVOKE, body);
            JsonNode revocation = json.get("revocation");
            Bytes32 mandateId = sameMandate(revocation, target, "revocation");
            Recovery.Recovered signer = recover(PurserTypes.REVOKE_MANDATE, revocation,
                    json.get("signature").asText());
            if (!new Party.Account(signer.signer()).equals(target.principal())) {
                return refused(MandateRefusal.Reason.SIGNATURE_MISMATCH, "signature",
                        "signature is by " + signer.signer() + ", not by the mandate's principal "
                                + target.principal().id());
            }
            Instant revokedAt = SignedFields.seconds(revocation, "revokedAt");
            if (revokedAt.isAfter(verifier.clock().instant().plus(CLOCK_SKEW))) {
                return refused(MandateRefusal.Reason.NOT_YET_VALID, "revocation.revokedAt",
                        "revocation.revokedAt " + revokedAt + " is in the future");
            }
            return new Verification.Accepted<>(new Revocation(mandateId, revokedAt,
                    target.principal(), signer.signature().hex()));
        } catch (Refuse refusal) {
            return new Verification.Refused<>(refusal.refusal());
        }
    }

    /**
     * An AP2 mandate's principal is its issuer's P-256 key, which cannot sign EIP-712: it revokes
     * with {@code {"jws": "<compact ES256 JWS>"}}, header {@code typ: }{@value #REVOCATION_TYP},
     * payload {@code {"mandateId", "revokedAt"}} (unix seconds) — the RevokeMandate fields.
     */
    private Verification<Revocation> ap2Revocation(JsonNode json, Mandate target,
            Party.P256Key issuer) {
        if (!json.path("jws").isTextual()) {
            return refused(MandateRefusal.Reason.INVALID, "jws", "jws is required: an AP2"
                    + " mandate is revoked with a JWS signed by its issuer key");
        }
        Jws jws = switch (Jws.parse(json.get("jws").textValue())) {
            case TokenParse.Parsed<Jws> parsed -> parsed.value();
            case TokenParse.Refused<Jws> refused -> null;
        };
        if (jws == null || !REVOCATION_TYP.equals(jws.type())) {
            return refused(MandateRefusal.Reason.INVALID, "jws", "jws must be a compact JWS"
                    + " with header typ " + REVOCATION_TYP);
        }
        if (jws.verifyEs256(issuer.jwk()) != Es256.Verdict.VALID) {
            return refused(MandateRefusal.Reason.SIGNATURE_MISMATCH, "jws",
                    "jws is not signed (ES256) by the mandate's issuer key " + issuer.id());
        }
        JsonNode claims = jws.payload();
        if (!target.id().hex().equalsIgnoreCase(claims.path("mandateId").asText())) {
            return refused(MandateRefusal.Reason.INVALID, "jws.mandateId",
                    "jws.mandateId is not the mandate of the path, " + target.id());
        }
        JsonNode at = claims.path("revokedAt");
        if (!at.canConvertToLong() || !at.isIntegralNumber() || at.asLong() < 0
                || at.bigIntegerValue().compareTo(Ap2Mandates.LAST_SECOND) > 0) {
            return refused(MandateRefusal.Reason.INVALID, "jws.revokedAt",
                    "jws.revokedAt must be unix seconds");
        }
        Instant revokedAt = Instant.ofEpochSecond(at.asLong());
        if (revokedAt.isAfter(verifier.clock().instant().plus(CLOCK_SKEW))) {
            return refused(MandateRefusal.Reason.NOT_YET_VALID, "jws.revokedAt",
                    "jws.revokedAt " + revokedAt + " is in the future");
        }
        return new Verification.Accepted<>(new Revocation(target.id(), revokedAt, issuer,
                jws.compact()));
    }

    /**
     * Verifies {@code POST /api/a2a/mandates/{id}/use} for {@code target}. With
     * {@code agentAuthenticated} (a bearer token whose subject is the mandate's agent, checked
     * by the caller) the signature may be absent; a signature that is present is always checked.
     */
    public Verification<Draw> draw(String body, Mandate target, boolean agentAuthenticated) {
        try {
            JsonNode json = MandateVerifier.object(body);
            verifier.valid(MandateSchemas.Kind.DRAW, body);
            JsonNode draw = json.get("draw");
            Bytes32 mandateId = sameMandate(draw, target, "draw");
            Optional<Signature> signature = Optional.empty();
            if (json.has("signature")) {
                Recovery.Recovered signer = recover(PurserTypes.DRAW, draw,
                        json.get("signature").asText());
                if (!new Party.Account(signer.signer()).equals(target.agent())) {
                    return refused(MandateRefusal.Reason.SIGNATURE_MISMATCH, "signature",
                            "signature is by " + signer.signer() + ", not by the mandate's agent "
                                    + target.agent().id());
                }
                signature = Optional.of(signer.signature());
            } else if (!agentAuthenticated) {
                return refused(MandateRefusal.Reason.INVALID, "signature",
                        "signature is required unless the agent authenticates with a token");
            }
            Instant deadline = SignedFields.seconds(draw, "deadline");
            if (!verifier.clock().instant().isBefore(deadline)) {
                return refused(MandateRefusal.Reason.EXPIRED, "draw.deadline",
                        "draw.deadline " + deadline + " has passed");
            }
            Amount amount = SignedFields.amount(draw, "amount", "draw");
            return new Verification.Accepted<>(new Draw(mandateId, amount,
                    SignedFields.bytes32(draw, "idempotencyKey"), draw.get("memo").textValue(),
                    deadline, signature));
        } catch (Refuse refusal) {
            return new Verification.Refused<>(refusal.refusal());
        }
    }

    private static Bytes32 sameMandate(JsonNode struct, Mandate target, String path) {
        Bytes32 mandateId = SignedFields.bytes32(struct, "mandateId");
        if (!mandateId.equals(target.id())) {
            throw new Refuse(MandateRefusal.Reason.INVALID, path + ".mandateId",
                    path + ".mandateId " + mandateId + " is not the mandate of the path, "
                            + target.id());
        }
        return mandateId;
    }

    private Recovery.Recovered recover(TypedDataSchema kind, JsonNode message, String signature) {
        Bytes32 digest = kind.typedData(PurserTypes.mandateDomain(verifier.policy().chainId()),
                message).digest();
        return SignedFields.recover(digest, signature);
    }

    private static <T> Verification<T> refused(MandateRefusal.Reason reason, String field,
            String message) {
        return new Verification.Refused<>(MandateRefusal.of(reason, field, message));
    }
}
