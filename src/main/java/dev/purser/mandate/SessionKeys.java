package dev.purser.mandate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.auth.SessionKeyBearer;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Sha256;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Session keys (DESIGN §11): created by a mandate's agent with a signed SessionKey document,
 * shown once as {@code psk_} + 32 random bytes (base64url), kept only as their SHA-256, revoked
 * with the document that created them. A key says who speaks; whether its envelope may still
 * pay (revoked, expired, exhausted, out of scope) is the paid flow's admission to decide.
 */
@ApplicationScoped
public class SessionKeys {

    private static final int SECRET_BYTES = 32;

    /** {@code psk_} and unpadded base64url; anything longer is not a key this server made. */
    private static final Pattern SECRET = Pattern.compile(
            Pattern.quote(SessionKeyBearer.PREFIX) + "[A-Za-z0-9_-]{43,86}");

    private final MandateRegistry registry;
    private final SignedRequests signedRequests;
    private final SessionKeyStore store;
    private final Envelopes envelopes;
    private final Clock clock;

    /**
     * Created on first use, not at construction in a static initializer: a native image runs
     * those at build time and would bake one seed into every binary (see {@code task.TaskIds}).
     */
    private SecureRandom random;

    SessionKeys(MandateRegistry registry, SignedRequests signedRequests, SessionKeyStore store,
            Envelopes envelopes) {
        this.registry = registry;
        this.signedRequests = signedRequests;
        this.store = store;
        this.envelopes = envelopes;
        this.clock = Clock.systemUTC();
    }

    /**
     * The live key whose secret this is; empty when unknown, revoked, or expired (the envelope
     * itself is checked later by the paid flow's admission). Never throws on garbage input.
     */
    public Optional<SessionKey> authenticate(String secret) {
        if (secret == null || !SECRET.matcher(secret).matches()) {
            return Optional.empty();
        }
        return store.live(hash(secret)).map(row -> new SessionKey(row.id(),
                row.mandateId().hex(), row.agent(), row.label(), row.expiresAt()));
    }

    /** {@code POST /api/a2a/mandates/{id}/keys}: 201 with the secret, shown this once. */
    MandateRegistry.Outcome create(Bytes32 mandateId, String body) {
        return verified(mandateId, body, request -> create(mandateId, request));
    }

    private MandateRegistry.Outcome create(Bytes32 mandateId, SessionKeyRequest request) {
        Optional<Envelope> envelope = envelopes.find(mandateId);
        if (envelope.isEmpty()) {
            return refuse(RegistryRefusal.unknownMandate(mandateId.hex()));
        }
        Envelope.Status status = envelope.get().status();
        if (status == Envelope.Status.REVOKED || status == Envelope.Status.EXPIRED) {
            Refusal reason = status == Envelope.Status.REVOKED ? Refusal.REVOKED : Refusal.EXPIRED;
            return refuse(new RegistryRefusal(reason.code(), reason.httpStatus(), "id",
                    "id: the mandate " + mandateId.hex() + " is " + status.wire()
                            + ": it grants no session keys"));
        }
        String field = request.path() + ".expiresAt";
        if (!request.expiresAt().isAfter(clock.instant())) {
            return refuse(RegistryRefusal.of(MandateRefusal.Reason.EXPIRED, field,
                    field + " " + request.expiresAt() + " is not in the future"));
        }
        String secret = SessionKeyBearer.PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(randomBytes(SECRET_BYTES));
        SessionKeyStore.Row row = new SessionKeyStore.Row(newId(), mandateId,
                envelope.get().agent(), request.label(), request.expiresAt(), request.nonce(),
                Optional.empty());
        if (!store.insert(row, hash(secret))) {
            String made = store.byNonce(mandateId, request.nonce()).map(SessionKeyStore.Row::id)
                    .orElse("?");
            String nonce = request.path() + ".nonce";
            return refuse(new RegistryRefusal("session_key_exists", 409, nonce, nonce + ": this"
                    + " signed document already created session key " + made + " (its secret"
                    + " was shown then, once); sign one with a fresh nonce for another key"));
        }
        ObjectNode json = view(row);
        json.remove("revokedAt");
        json.put("key", secret);
        return new MandateRegistry.Outcome.Done(json, true);
    }

    /**
     * {@code DELETE /api/a2a/mandates/{id}/keys/{keyId}} with the document that created the key:
     * revokes it; again answers the same.
     */
    MandateRegistry.Outcome revoke(Bytes32 mandateId, String keyId, String body) {
        return verified(mandateId, body, request -> revoke(mandateId, keyId, request));
    }

    private MandateRegistry.Outcome revoke(Bytes32 mandateId, String keyId,
            SessionKeyRequest request) {
        Optional<SessionKeyStore.Row> key = store.find(mandateId, keyId);
        if (key.isEmpty()) {
            return refuse(new RegistryRefusal("unknown_session_key", 404, "keyId",
                    "keyId: mandate " + mandateId.hex() + " has no session key " + keyId));
        }
        if (!key.get().nonce().equals(request.nonce())) {
            String nonce = request.path() + ".nonce";
            return refuse(new RegistryRefusal("not_this_key", 403, nonce, nonce + ": this"
                    + " document did not create session key " + keyId + "; revoke a key with"
                    + " the document that created it"));
        }
        return new MandateRegistry.Outcome.Done(view(store.revoke(mandateId, keyId)
                .orElseThrow()), false);
    }

    /**
     * {@code then} the request in {@code body}, verified against the registered mandate; else
     * the refusal (an unknown mandate first: there is nothing to check a signature against).
     */
    private MandateRegistry.Outcome verified(Bytes32 mandateId, String body,
            Function<SessionKeyRequest, MandateRegistry.Outcome> then) {
        Optional<Mandate> mandate = registry.mandate(mandateId);
        if (mandate.isEmpty()) {
            return refuse(RegistryRefusal.unknownMandate(mandateId.hex()));
        }
        return switch (signedRequests.sessionKey(body, mandate.get())) {
            case Verification.Accepted<SessionKeyRequest> accepted ->
                    then.apply(accepted.value());
            case Verification.Refused<SessionKeyRequest> refused ->
                    refuse(RegistryRefusal.of(refused.refusal()));
        };
    }

    /** The key's public fields: never its secret, which is not kept. */
    private static ObjectNode view(SessionKeyStore.Row row) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", row.id());
        json.put("mandate", row.mandateId().hex());
        json.put("label", row.label());
        json.put("expiresAt", row.expiresAt().getEpochSecond());
        if (row.revokedAt().isPresent()) {
            json.put("revokedAt", row.revokedAt().get().getEpochSecond());
        } else {
            json.putNull("revokedAt");
        }
        return json;
    }

    private static Bytes32 hash(String secret) {
        return Sha256.hash(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A random (version 4) UUID from this class's generator. */
    private String newId() {
        byte[] b = randomBytes(16);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[8 + i] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    private synchronized byte[] randomBytes(int n) {
        if (random == null) {
            random = new SecureRandom();
        }
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static MandateRegistry.Outcome refuse(RegistryRefusal refusal) {
        return new MandateRegistry.Outcome.Refused(refusal);
    }
}
