package dev.purser.delegation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.V10Json;
import dev.purser.crypto.Jcs;
import dev.purser.task.TaskContext;
import java.util.Optional;

/**
 * Where a delegated task's answer is cached (DESIGN §9 "Result cache"): the caller's identity, the
 * service, and the SHA-256 of the RFC 8785 canonical JSON of the message parts as the A2A 1.0 wire
 * writes them. Anonymous callers share one identity, so they share entries, as they share tasks.
 *
 * @param partsHash lower-case hex, 64 digits
 */
record CacheKey(String owner, String serviceId, String partsHash) {

    /** Message metadata: {@code "no"} neither reads nor writes the cache for this task. */
    static final String BYPASS_KEY = "purser.cache";

    /**
     * The key of the task's request; empty when the cache does not apply: a background step (no
     * caller), the buyer's bypass, or parts outside what RFC 8785 canonicalizes here (fractions,
     * integers beyond 2^53 in data parts).
     */
    static Optional<CacheKey> of(TaskContext ctx, Message request) {
        if (ctx.caller() == null || bypassed(request)) {
            return Optional.empty();
        }
        JsonNode parts = V10Json.INSTANCE.writeMessage(request).get("parts");
        try {
            return Optional.of(new CacheKey(ctx.caller().owner(), ctx.skillId(),
                    Jcs.sha256(parts).hex().substring(2)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean bypassed(Message m) {
        ObjectNode md = m.metadata();
        JsonNode v = md == null ? null : md.get(BYPASS_KEY);
        return v != null && "no".equals(v.asText());
    }
}
