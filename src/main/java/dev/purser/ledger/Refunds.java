package dev.purser.ledger;

import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Journal.Head;
import dev.purser.ledger.JournalEntry.Account;
import dev.purser.ledger.JournalEntry.Type;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Refunds of captured draws, in the caller's transaction with the journal appended from Java:
 * bounded by what the draw captured, once per refund key, passed up to every ancestor.
 */
final class Refunds {

    private Refunds() {
    }

    /**
     * Refunds {@code amount} of the captured draw {@code drawKey}, once per {@code refundKey}:
     * the draw's captured amount not refunded yet bounds it (a CHECK), spent goes down by it on
     * the envelope and on every ancestor (whose carve-out holds it again for the child). A draw
     * of a closed budget period is not refunded into the current one.
     */
    static RefundResult refund(Connection c, Bytes32 envelopeId, Bytes32 drawKey,
            Bytes32 refundKey, long amount, Instant now) throws SQLException {
        long reservationId;
        try (PreparedStatement ps = c.prepareStatement("insert into refund (envelope_id,"
                + " refund_key, reservation_id, amount) select envelope_id, ?, id, ?"
                + " from reservation where envelope_id = ? and idempotency_key = ?"
                + " and kind = 'draw' and state = 'captured'"
                + " on conflict do nothing returning reservation_id")) {
            ps.setString(1, refundKey.hex());
            ps.setLong(2, amount);
            ps.setString(3, envelopeId.hex());
            ps.setString(4, drawKey.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return existingRefund(c, envelopeId, drawKey, refundKey, amount);
                }
                reservationId = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("update reservation r set"
                + " refunded = refunded + ? where id = ? and refunded + ? <= captured")) {
            ps.setLong(1, amount);
            ps.setLong(2, reservationId);
            ps.setLong(3, amount);
            if (ps.executeUpdate() != 1) {
                return Refused.of(Refusal.REFUND_EXCEEDS_CAPTURE);
            }
        }
        // The draw's period must be the envelope's current one (rolled or not yet rolled); the
        // capture's issuedAt is the ledger clock's time of the capture.
        Head head;
        try (PreparedStatement ps = c.prepareStatement("update envelope e set"
                + " spent = spent - ? where id = ? and spent >= ?"
                + " and period_start <= (select to_timestamp(issued_at) from reservation"
                + " where id = ?)"
                + " returning journal_seq, journal_head")) {
            ps.setLong(1, amount);
            ps.setString(2, envelopeId.hex());
            ps.setLong(3, amount);
            ps.setLong(4, reservationId);
            head = Journal.headOf(ps);
        }
        if (head == null) {
            return Refused.of(Refusal.REFUND_PERIOD_CLOSED);
        }
        head = Journal.append(c, envelopeId, head, Type.REFUND, amount, Account.SPENT,
                Account.AVAILABLE, refundKey, now);
        Journal.saveHead(c, envelopeId, head);
        Bytes32 child = envelopeId;
        Optional<Bytes32> parent = parentOf(c, child);
        while (parent.isPresent()) {
            Bytes32 p = parent.get();
            try (PreparedStatement ps = c.prepareStatement("update reservation set"
                    + " captured = captured - ? where envelope_id = ? and idempotency_key = ?"
                    + " and kind = 'carve_out' and captured >= ?")) {
                ps.setLong(1, amount);
                ps.setString(2, p.hex());
                ps.setString(3, child.hex());
                ps.setLong(4, amount);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("carve-out of " + child + " is inconsistent");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update envelope set"
                    + " spent = spent - ?, reserved = reserved + ? where id = ? and spent >= ?"
                    + " returning journal_seq, journal_head")) {
                ps.setLong(1, amount);
                ps.setLong(2, amount);
                ps.setString(3, p.hex());
                ps.setLong(4, amount);
                head = Journal.headOf(ps);
            }
            if (head == null) {
                // The parent's period closed since: the child's refund stays the child's.
                return Refused.of(Refusal.REFUND_PERIOD_CLOSED);
            }
            head = Journal.append(c, p, head, Type.REFUND, amount, Account.SPENT,
                    Account.RESERVED, refundKey, now);
            Journal.saveHead(c, p, head);
            child = p;
            parent = parentOf(c, p);
        }
        return new RefundResult.Refunded(envelopeId, drawKey, refundKey, amount);
    }

    private static RefundResult existingRefund(Connection c, Bytes32 envelopeId, Bytes32 drawKey,
            Bytes32 refundKey, long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select f.amount, r.idempotency_key"
                + " from refund f join reservation r on r.id = f.reservation_id"
                + " where f.envelope_id = ? and f.refund_key = ?")) {
            ps.setString(1, envelopeId.hex());
            ps.setString(2, refundKey.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    boolean same = rs.getLong(1) == amount
                            && rs.getString(2).equals(drawKey.hex());
                    return same ? new RefundResult.Refunded(envelopeId, drawKey, refundKey, amount)
                            : Refused.of(Refusal.IDEMPOTENCY_KEY_REUSED);
                }
            }
        }
        return EnvelopeReads.exists(c, envelopeId)
                ? Refused.of(Refusal.RESERVATION_RELEASED, "no captured draw with this key")
                : Refused.of(Refusal.UNKNOWN_MANDATE);
    }

    private static Optional<Bytes32> parentOf(Connection c, Bytes32 id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select parent from envelope where id = ?")) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String parent = rs.getString(1);
                return parent == null ? Optional.empty() : Optional.of(Bytes32.fromHex(parent));
            }
        }
    }
}
