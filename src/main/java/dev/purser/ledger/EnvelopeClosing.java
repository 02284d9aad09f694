package dev.purser.ledger;

import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Journal.Head;
import dev.purser.ledger.JournalEntry.Account;
import dev.purser.ledger.JournalEntry.Type;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ending envelopes, each step in its caller's transaction with its journal appended from Java:
 * revoking a family (pending draws released, leaves first) and returning an ended child's rest
 * to its parent. Locks go child before parent, as captures take them.
 */
final class EnvelopeClosing {

    private EnvelopeClosing() {
    }

    /** The envelope and its descendants, leaves first; empty if there is no such envelope. */
    static List<Bytes32> family(Connection c, Bytes32 id) throws SQLException {
        List<Bytes32> family = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("with recursive tree(id, depth) as ("
                + " select id, 0 from envelope where id = ?"
                + " union all select e.id, t.depth + 1 from envelope e join tree t"
                + " on e.parent = t.id) select id from tree order by depth desc, id")) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    family.add(Bytes32.fromHex(rs.getString(1)));
                }
            }
        }
        return family;
    }

    /** Revokes one envelope; its children were revoked before it in the same transaction. */
    static void revokeOne(Connection c, Bytes32 id, Instant at, Instant now) throws SQLException {
        // The envelope row first, then its reservations: the order the draw batches lock in.
        try (PreparedStatement ps = c.prepareStatement(
                "select 1 from envelope where id = ? for update")) {
            ps.setString(1, id.hex());
            ps.executeQuery().close();
        }
        List<Released> released = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("update reservation set"
                + " state = 'released', resolved_at = now() where envelope_id = ?"
                + " and kind = 'draw' and state = 'pending'"
                + " returning idempotency_key, amount, agent, guarded")) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    released.add(new Released(Bytes32.fromHex(rs.getString(1)), rs.getLong(2),
                            rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        for (Released r : released) {
            if (r.guarded()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "update agent_guard set in_flight = in_flight - 1 where agent = ?")) {
                    ps.setString(1, r.agent());
                    ps.executeUpdate();
                }
            }
        }
        long releasedTotal = released.stream().mapToLong(Released::amount)
                .reduce(0, Math::addExact);
        Head head;
        try (PreparedStatement ps = c.prepareStatement("update envelope set"
                + " revoked_at = coalesce(revoked_at, ?), reserved = reserved - ?"
                + " where id = ? returning journal_seq, journal_head")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setLong(2, releasedTotal);
            ps.setString(3, id.hex());
            head = Journal.headOf(ps);
        }
        for (Released r : released) {
            head = Journal.append(c, id, head, Type.RELEASE, r.amount(), Account.RESERVED,
                    Account.AVAILABLE, r.key(), now);
        }
        Journal.saveHead(c, id, head);
        returnRest(c, id, now);
    }

    private record Released(Bytes32 key, long amount, String agent, boolean guarded) {
    }

    /**
     * A child that ended (revoked or expired) gives its unspent, unreserved budget back to its
     * parent: its budget shrinks and the parent's carve-out with it. Whatever a later release
     * frees on the child is returned by the next call. Returns the amount returned.
     */
    static long returnRest(Connection c, Bytes32 id, Instant now) throws SQLException {
        Head head;
        long rest;
        String parent;
        try (PreparedStatement ps = c.prepareStatement("select budget - spent - reserved,"
                + " parent, journal_seq, journal_head from envelope where id = ?"
                + " and parent is not null"
                + " and (revoked_at is not null or (expires_at is not null and expires_at <= now()))"
                + " for update")) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) <= 0) {
                    return 0;
                }
                rest = rs.getLong(1);
                parent = rs.getString(2);
                head = new Head(rs.getLong(3), Bytes32.fromHex(rs.getString(4)));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("update envelope set budget = budget - ?"
                + " where id = ? and ? <= budget - spent - reserved")) {
            ps.setLong(1, rest);
            ps.setString(2, id.hex());
            ps.setLong(3, rest);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("the rest of " + id + " moved under its lock");
            }
        }
        head = Journal.append(c, id, head, Type.CARVE_RETURN, rest, Account.AVAILABLE,
                Account.FUNDING, null, now);
        Journal.saveHead(c, id, head);
        Bytes32 parentId = Bytes32.fromHex(parent);
        try (PreparedStatement ps = c.prepareStatement("update reservation set"
                + " amount = amount - ?,"
                + " state = case when amount - ? = captured then 'captured' else state end"
                + " where envelope_id = ? and idempotency_key = ? and kind = 'carve_out'"
                + " and amount - ? >= captured")) {
            ps.setLong(1, rest);
            ps.setLong(2, rest);
            ps.setString(3, parent);
            ps.setString(4, id.hex());
            ps.setLong(5, rest);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("carve-out of " + id + " is inconsistent");
            }
        }
        Head parentHead;
        try (PreparedStatement ps = c.prepareStatement("update envelope set"
                + " reserved = reserved - ? where id = ? returning journal_seq, journal_head")) {
            ps.setLong(1, rest);
            ps.setString(2, parent);
            parentHead = Journal.headOf(ps);
        }
        parentHead = Journal.append(c, parentId, parentHead, Type.CARVE_RETURN, rest,
                Account.RESERVED, Account.AVAILABLE, id, now);
        Journal.saveHead(c, parentId, parentHead);
        return rest;
    }

    /** Children past their expiry that still hold unspent budget, at most {@code max}. */
    static List<Bytes32> expiredChildrenWithRest(Connection c, int max) throws SQLException {
        List<Bytes32> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id from envelope"
                + " where parent is not null and revoked_at is null and expires_at <= now()"
                + " and budget - spent - reserved > 0 order by expires_at limit ?")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(Bytes32.fromHex(rs.getString(1)));
                }
            }
        }
        return ids;
    }
}
