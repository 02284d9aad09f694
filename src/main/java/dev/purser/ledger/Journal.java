package dev.purser.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Jcs;
import dev.purser.ledger.JournalEntry.Account;
import dev.purser.ledger.JournalEntry.Type;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Journal appends made from Java (open, revoke, carve-outs, refunds: the rare operations; the
 * draw path appends in SQL, see V11). The caller holds the envelope's row lock, taken by the
 * UPDATE that returned the head, so the chain never forks.
 */
final class Journal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Journal() {
    }

    /** The envelope's journal head: the last entry's seq and hash. */
    record Head(long seq, Bytes32 hash) {
    }

    /** Appends one entry after {@code head} and answers the new head. */
    static Head append(Connection c, Bytes32 envelopeId, Head head, Type type, long amount,
            Account debit, Account credit, Bytes32 key, Instant at) throws SQLException {
        JournalEntry entry = JournalEntry.next(head.seq() + 1, type, amount, debit, credit, key,
                at, head.hash());
        try (PreparedStatement ps = c.prepareStatement("insert into journal_entry (envelope_id,"
                + " seq, type, amount, debit, credit, idempotency_key, doc, prev_hash, hash)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, envelopeId.hex());
            ps.setLong(2, entry.seq());
            ps.setString(3, type.wire());
            ps.setLong(4, amount);
            ps.setString(5, debit.wire());
            ps.setString(6, credit.wire());
            ps.setString(7, key == null ? null : key.hex());
            ps.setString(8, Jcs.canonicalize(entry.body()));
            ps.setString(9, entry.prevHash().hex());
            ps.setString(10, entry.hash().hex());
            ps.executeUpdate();
        }
        return new Head(entry.seq(), entry.hash());
    }

    static void saveHead(Connection c, Bytes32 envelopeId, Head head) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update envelope set journal_seq = ?, journal_head = ? where id = ?")) {
            ps.setLong(1, head.seq());
            ps.setString(2, head.hash().hex());
            ps.setString(3, envelopeId.hex());
            ps.executeUpdate();
        }
    }

    /** The head returned by an UPDATE … RETURNING journal_seq, journal_head; null if no row. */
    static Head headOf(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Head(rs.getLong(1), Bytes32.fromHex(rs.getString(2))) : null;
        }
    }

    /** An entry read back: its stored canonical body plus its hash. */
    static JournalEntry entryOf(String doc, String hash) {
        ObjectNode json;
        try {
            json = (ObjectNode) JSON.readTree(doc);
        } catch (IOException e) {
            throw new IllegalStateException("a journal entry's doc is not JSON", e);
        }
        json.put("hash", hash);
        return JournalEntry.fromJson(json);
    }
}
