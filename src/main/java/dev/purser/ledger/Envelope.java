package dev.purser.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An envelope as it stands (DESIGN §8 "Encoding"). {@code remaining = budget - spent - reserved}.
 *
 * @param notBefore null = from the start
 * @param expiresAt null = never
 * @param parent null for a root
 * @param children the ids of its child envelopes
 * @param policy its envelope policy (DESIGN §4), as the principal last set it or inherited it
 */
public record Envelope(Bytes32 id, Address principal, Address agent, Address asset,
        String network, long budget, long spent, long reserved, long perTaskMax, Status status,
        Instant notBefore, Instant expiresAt, Bytes32 parent, List<Bytes32> children,
        EnvelopePolicy policy) {

    public Envelope {
        children = List.copyOf(children);
    }

    public long remaining() {
        return budget - spent - reserved;
    }

    /** The lifecycle state: revoked and expired win over exhausted. */
    public enum Status {
        ACTIVE, EXHAUSTED, EXPIRED, REVOKED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The JSON of DESIGN §8: amounts as decimal strings, times as unix seconds (0 = unset). */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id.hex());
        json.put("principal", principal.checksummed());
        json.put("agent", agent.checksummed());
        json.put("asset", asset.checksummed());
        json.put("network", network);
        json.put("budget", Long.toString(budget));
        json.put("spent", Long.toString(spent));
        json.put("reserved", Long.toString(reserved));
        json.put("remaining", Long.toString(remaining()));
        json.put("perTaskMax", Long.toString(perTaskMax));
        json.put("status", status.wire());
        json.put("notBefore", notBefore == null ? 0 : notBefore.getEpochSecond());
        json.put("expiresAt", expiresAt == null ? 0 : expiresAt.getEpochSecond());
        json.put("parent", parent == null ? Bytes32.ZERO.hex() : parent.hex());
        ArrayNode kids = json.putArray("children");
        children.forEach(child -> kids.add(child.hex()));
        json.set("policy", policy.toJson());
        return json;
    }
}
