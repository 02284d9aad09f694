package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Es256;
import dev.purser.crypto.Hex;
import dev.purser.crypto.Jws;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Recovery;
import dev.purser.crypto.Signature;
import dev.purser.crypto.TokenParse;
import dev.purser.crypto.TypedDataSchema;
import dev.purser.ledger.EnvelopePolicy;
import dev.purser.money.Amount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Verifies the signed requests made against a registered mandate: its principal's revocation,
 * its agent's direct draw and its agent's session key request. All are EIP-712 structs in the
 * Purser Mandate domain, so one recovery path serves them and mandates alike (an AP2 mandate's
 * parties sign the same members as an ES256 JWS). Pure: the target mandate is passed in.
 */
public final class SignedRequests {

    /** The JWS {@code typ} of an AP2 mandate's revocation. */
    public static final String REVOCATION_TYP = "purser-revocation+jwt";

    /** The JWS {@code typ} of an AP2 mandate's envelope policy. */
    public static final String POLICY_TYP = "purser-policy+jwt";

    /** The JWS {@code typ} of an AP2 mandate's session key request. */
    public static final String SESSION_KEY_TYP = "purser-session-key+jwt";

    /** The AP2 label bound, as {@code session-key.schema.json} bounds the EIP-712 one. */
    private static final int SESSION_KEY_LABEL_MAX = 128;

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
            Bytes32 mandateId = sameMandate(revocation, "mandateId", target, "revocation");
            Recovery.Recovered signer = signedBy(PurserTypes.REVOKE_MANDATE, revocation,
                    json.get("signature").asText(), target.principal(), "principal");
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
        Jws jws = ap2Jws(json, REVOCATION_TYP,
                "an AP2 mandate is revoked with a JWS signed by its issuer key");
        if (jws.verifyEs256(issuer.jwk()) != Es256.Verdict.VALID) {
            return refused(MandateRefusal.Reason.SIGNATURE_MISMATCH, "jws",
                    "jws is not signed (ES256) by the mandate's issuer key " + issuer.id());
        }
        JsonNode claims = jws.payload();
        if (!target.id().hex().equalsIgnoreCase(claims.path("mandateId").asText())) {
            return refused(MandateRefusal.Reason.INVALID, "jws.mandateId",
                    "jws.mandateId is not the mandate of the path, " + target.id());
        }
        Instant revokedAt = unixSeconds(claims, "revokedAt", "jws");
        if (revokedAt.isAfter(verifier.clock().instant().plus(CLOCK_SKEW))) {
            return refused(MandateRefusal.Reason.NOT_YET_VALID, "jws.revokedAt",
                    "jws.revokedAt " + revokedAt + " is in the future");
        }
        return new Verification.Accepted<>(new Revocation(target.id(), revokedAt, issuer,
                jws.compact()));
    }

    /**
     * Verifies {@code PUT /api/a2a/mandates/{id}/policy} for {@code target} (DESIGN §4): an
     * {@code EnvelopePolicy} naming the same mandate, signed by its principal; for an AP2 mandate
     * {@code {"jws"}} by its issuer key, header {@code typ: }{@value #POLICY_TYP}, payload the
     * eight EnvelopePolicy members. An {@code issuedAt} past Purser's clock (plus skew) is not
     * valid yet: it would hold off every later policy until then.
     */
    public Verification<EnvelopePolicy> policy(String body, Mandate target) {
        try {
            JsonNode json = MandateVerifier.object(body);
            JsonNode policy;
            String path;
            if (target.principal() instanceof Party.P256Key issuer) {
                Jws jws = ap2Jws(json, POLICY_TYP,
                        "an AP2 mandate's policy is a JWS signed by its issuer key");
                if (jws.verifyEs256(issuer.jwk()) != Es256.Verdict.VALID) {
                    return refused(MandateRefusal.Reason.SIGNATURE_MISMATCH, "jws",
                            "jws is not signed (ES256) by the mandate's issuer key "
                                    + issuer.id());
                }
                policy = jws.payload();
                path = "jws";
                if (!Hex.isHex(policy.path("mandate").asText(), 32)) {
                    return refused(MandateRefusal.Reason.INVALID, "jws.mandate",
                            "jws.mandate must be 0x + 64 hex digits");
                }
            } else {
                verifier.valid(MandateSchemas.Kind.POLICY, body);
                policy = json.get("policy");
                path = "policy";
                signedBy(PurserTypes.ENVELOPE_POLICY, policy, json.get("signature").asText(),
                        target.principal(), "principal");
            }
            sameMandate(policy, "mandate", target, path);
            EnvelopePolicy read = PolicyFields.read(policy, path);
            if (Instant.ofEpochSecond(read.issuedAt()).isAfter(
                    verifier.clock().instant().plus(CLOCK_SKEW))) {
                return refused(MandateRefusal.Reason.NOT_YET_VALID, path + ".issuedAt",
                        path + ".issuedAt " + Instant.ofEpochSecond(read.issuedAt())
                                + " is in the future");
            }
            return new Verification.Accepted<>(read);
        } catch (Refuse refusal) {
            return new Verification.Refused<>(refusal.refusal());
        }
    }

    /** The body's {@code jws}, parsed (not yet verified), with header {@code typ}. */
    private static Jws ap2Jws(JsonNode json, String typ, String why) {
        if (!json.path("jws").isTextual()) {
            throw new Refuse(MandateRefusal.Reason.INVALID, "jws", "jws is required: " + why);
        }
        if (!(Jws.parse(json.get("jws").textValue()) instanceof TokenParse.Parsed<Jws> parsed)
                || !typ.equals(parsed.value().type())) {
            throw new Refuse(MandateRefusal.Reason.INVALID, "jws", "jws must be a compact JWS"
                    + " with header typ " + typ);
        }
        return parsed.value();
    }

    /** A JWS claim of unix seconds, in the range the schemas allow. */
    static Instant unixSeconds(JsonNode claims, String name, String path) {
        JsonNode at = claims.path(name);
        if (!at.canConvertToLong() || !at.isIntegralNumber() || at.asLong() < 0
                || at.bigIntegerValue().compareTo(Ap2Mandates.LAST_SECOND) > 0) {
            throw new Refuse(MandateRefusal.Reason.INVALID, path + "." + name,
                    path + "." + name + " must be unix seconds");
        }
        return Instant.ofEpochSecond(at.asLong());
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
            Bytes32 mandateId = sameMandate(draw, "mandateId", target, "draw");
            Optional<Signature> signature = Optional.empty();
            if (json.has("signature")) {
                signature = Optional.of(signedBy(PurserTypes.DRAW, draw,
                        json.get("signature").asText(), target.agent(), "agent").signature());
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

    /**
     * Verifies a session key request for {@code target} (DESIGN §11): {@code {"key":
     * SessionKey, "signature"}} signed by the mandate's agent, or for an AP2 mandate
     * {@code {"jws"}} by its {@code cnf} key, header {@code typ: }{@value #SESSION_KEY_TYP},
     * payload the four SessionKey members. Its expiry is the caller's to judge: a key may be
     * revoked with its document after it expired.
     */
    Verification<SessionKeyRequest> sessionKey(String body, Mandate target) {
        try {
            JsonNode json = MandateVerifier.object(body);
            if (target.agent() instanceof Party.P256Key agent) {
                return new Verification.Accepted<>(ap2SessionKey(json, target, agent));
            }
            verifier.valid(MandateSchemas.Kind.SESSION_KEY, body);
            JsonNode key = json.get("key");
            Bytes32 mandateId = sameMandate(key, "mandate", target, "key");
            signedBy(PurserTypes.SESSION_KEY, key, json.get("signature").asText(),
                    target.agent(), "agent");
            return new Verification.Accepted<>(new SessionKeyRequest(mandateId,
                    key.get("label").textValue(), SignedFields.seconds(key, "expiresAt"),
                    SignedFields.bytes32(key, "nonce"), "key"));
        } catch (Refuse refusal) {
            return new Verification.Refused<>(refusal.refusal());
        }
    }

    private static SessionKeyRequest ap2SessionKey(JsonNode json, Mandate target,
            Party.P256Key agent) {
        Jws jws = ap2Jws(json, SESSION_KEY_TYP, "an AP2 mandate's session"
                + " key is asked for with a JWS signed by its agent (cnf) key");
        if (jws.verifyEs256(agent.jwk()) != Es256.Verdict.VALID) {
            throw new Refuse(MandateRefusal.Reason.SIGNATURE_MISMATCH, "jws",
                    "jws is not signed (ES256) by the mandate's agent (cnf) key " + agent.id());
        }
        JsonNode claims = jws.payload();
        for (String name : new String[] {"mandate", "nonce"}) {
            if (!Hex.isHex(claims.path(name).asText(), 32)) {
                throw new Refuse(MandateRefusal.Reason.INVALID, "jws." + name,
                        "jws." + name + " must be 0x + 64 hex digits");
            }
        }
        Bytes32 mandateId = sameMandate(claims, "mandate", target, "jws");
        JsonNode label = claims.path("label");
        if (!label.isTextual() || label.textValue().codePointCount(0,
                label.textValue().length()) > SESSION_KEY_LABEL_MAX) {
            throw new Refuse(MandateRefusal.Reason.INVALID, "jws.label", "jws.label must be a "
                    + "string of at most " + SESSION_KEY_LABEL_MAX + " characters");
        }
        return new SessionKeyRequest(mandateId, label.textValue(),
                unixSeconds(claims, "expiresAt", "jws"), Bytes32.fromHex(
                        claims.get("nonce").asText()), "jws");
    }

    private static Bytes32 sameMandate(JsonNode struct, String name, Mandate target,
            String path) {
        Bytes32 mandateId = SignedFields.bytes32(struct, name);
        if (!mandateId.equals(target.id())) {
            throw new Refuse(MandateRefusal.Reason.INVALID, path + "." + name,
                    path + "." + name + " " + mandateId + " is not the mandate of the path, "
                            + target.id());
        }
        return mandateId;
    }

    /** The signature of {@code message} as {@code kind}, which must be by {@code party}. */
    private Recovery.Recovered signedBy(TypedDataSchema kind, JsonNode message, String signature,
            Party party, String role) {
        Bytes32 digest = kind.typedData(PurserTypes.mandateDomain(verifier.policy().chainId()),
                message).digest();
        Recovery.Recovered signer = SignedFields.recover(digest, signature);
        if (!new Party.Account(signer.signer()).equals(party)) {
            throw new Refuse(MandateRefusal.Reason.SIGNATURE_MISMATCH, "signature",
                    "signature is by " + signer.signer() + ", not by the mandate's " + role + " "
                            + party.id());
        }
        return signer;
    }

    private static <T> Verification<T> refused(MandateRefusal.Reason reason, String field,
            String message) {
        return new Verification.Refused<>(MandateRefusal.of(reason, field, message));
    }
}
