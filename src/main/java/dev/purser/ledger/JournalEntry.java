package dev.purser.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Jcs;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * One append-only journal entry: {@code amount} leaves the envelope's {@code debit} account and
 * enters its {@code credit} account. Accounts are {@code funding} (the principal, or the parent
 * for a child), {@code available}, {@code reserved} and {@code spent}; so at every point
 * {@code reserved}'s balance is the envelope's reserved, {@code spent}'s its spent, and
 * {@code available}'s {@code budget - spent - reserved}.
 *
 * <p>{@code hash} = SHA-256 of the RFC 8785 canonical JSON of the entry without {@code hash};
 * the first entry's {@code prevHash} is 32 zero bytes (DESIGN §8).
 *
 * @param at server time, ISO-8601 UTC with milliseconds
 * @param idempotencyKey the draw's key (the child's id for carve-outs), or null
 */
public record JournalEntry(long seq, Type type, long amount, Account debit, Account credit,
        Bytes32 idempotencyKey, String at, Bytes32 prevHash, Bytes32 hash) {

    public enum Type {
        OPEN, RESERVE, CAPTURE, RELEASE, REFUND, CARVE_OUT, CARVE_RETURN,
        /** A recurring budget's period closed: its spent becomes available again. */
        ROLL;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Account {
        FUNDING, AVAILABLE, RESERVED, SPENT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Account fromWire(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /** A new entry after {@code prevHash}, hashed. */
    static JournalEntry next(long seq, Type type, long amount, Account debit, Account credit,
            Bytes32 idempotencyKey, Instant at, Bytes32 prevHash) {
        String time = at.truncatedTo(ChronoUnit.MILLIS).toString();
        JournalEntry unhashed = new JournalEntry(seq, type, amount, debit, credit,
                idempotencyKey, time, prevHash, null);
        return new JournalEntry(seq, type, amount, debit, credit, idempotencyKey, time,
                prevHash, Jcs.sha256(unhashed.body()));
    }

    /** The entry without {@code hash}: what is hashed. */
    public ObjectNode body() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("seq", seq);
        json.put("type", type.wire());
        json.put("amount", Long.toString(amount));
        json.put("debit", debit.wire());
        json.put("credit", credit.wire());
        if (idempotencyKey == null) {
            json.putNull("idempotencyKey");
        } else {
            json.put("idempotencyKey", idempotencyKey.hex());
        }
        json.put("at", at);
        json.put("prevHash", prevHash.hex());
        return json;
    }

    public ObjectNode toJson() {
        ObjectNode json = body();
        json.put("hash", hash.hex());
        return json;
    }

    /** Reads the wire form (clients and tests). @throws IllegalArgumentException if malformed */
    public static JournalEntry fromJson(JsonNode json) {
        JsonNode key = json.path("idempotencyKey");
        return new JournalEntry(json.path("seq").asLong(),
                Type.valueOf(json.path("type").asText().toUpperCase(Locale.ROOT)),
                Long.parseLong(json.path("amount").asText()),
                Account.fromWire(json.path("debit").asText()),
                Account.fromWire(json.path("credit").asText()),
                key.isNull() || key.isMissingNode() ? null : Bytes32.fromHex(key.asText()),
                json.path("at").asText(), Bytes32.fromHex(json.path("prevHash").asText()),
                Bytes32.fromHex(json.path("hash").asText()));
    }

    /** Whether {@code hash} is the hash of this entry's body. */
    public boolean hashVerifies() {
        return hash != null && hash.equals(Jcs.sha256(body()));
    }
}
