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
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The rare operations, each one transaction with its journal appended from Java: opening an
 * envelope (and carving a child out of its parent), revoking a family, returning an ended child's
 * rest to its parent, and refunds. Locks go child before parent, as captures take them.
 */
final class EnvelopeLifecycle {

    private EnvelopeLifecycle() {
    }

    /** Inserts the envelope (and its carve-out); a refusal, or empty when it was inserted. */
    static Optional<OpenResult> open(Connection c, EnvelopeSpec spec, Instant now)
            throws SQLException {
        if (spec.parent() != null && spec.recurrence() != null) {
            // A child's budget is a carve-out of its parent's, once; it cannot renew.
            return Optional.of(Refused.of(Refusal.SCOPE_WIDENS_PARENT,
                    "a child envelope cannot have a recurring budget"));
        }
        try (PreparedStatement ps = c.prepareStatement("insert into envelope (id, principal,"
                + " agent, asset, network, budget, per_task_max, daily_max, skills, not_before,"
                + " expires_at, parent, recurrence, guard_rate, guard_concurrency, guard_loop,"
                + " journal_head, period_start, webhook, soft_limits) values (?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ledger_period_start(?, ?), ?, ?)"
                + " on conflict (id) do nothing")) {
            String recurrence = spec.recurrence() == null ? null
                    : spec.recurrence().name().toLowerCase(Locale.ROOT);
            ps.setString(1, spec.id().hex());
            ps.setString(2, spec.principal().lowerHex());
            ps.setString(3, spec.agent().lowerHex());
            ps.setString(4, spec.asset().lowerHex());
            ps.setString(5, spec.network());
            ps.setLong(6, spec.budget());
            ps.setLong(7, spec.perTaskMax());
            ps.setLong(8, spec.limits().dailyMax());
            ps.setArray(9, c.createArrayOf("text", spec.skills().toArray()));
            ps.setTimestamp(10, timestamp(spec.notBefore()));
            ps.setTimestamp(11, timestamp(spec.expiresAt()));
            ps.setString(12, spec.parent() == null ? null : spec.parent().hex());
            ps.setString(13, recurrence);
            setInteger(ps, 14, spec.limits().ratePerMinute());
            setInteger(ps, 15, spec.limits().concurrency());
            setInteger(ps, 16, spec.limits().loopPerMinute());
            ps.setString(17, Bytes32.ZERO.hex());
            ps.setString(18, recurrence);
            ps.setObject(19, EnvelopeReads.at(now));
            ps.setString(20, spec.notices().webhook());
            List<Integer> thresholds = spec.notices().thresholds();
            ps.setArray(21, thresholds == null ? null
                    : c.createArrayOf("int4", thresholds.toArray()));
            if (ps.executeUpdate() != 1) {
                Envelope existing = EnvelopeReads.load(c, spec.id(), now).orElseThrow();
                return Optional.of(sameTerms(existing, spec)
                        ? new OpenResult.Opened(existing, false)
                        : Refused.of(Refusal.CONFLICTING_ENVELOPE));
            }
        }
        if (spec.parent() != null) {
            Optional<Refused> refused = carveOut(c, spec, now);
            if (refused.isPresent()) {
                return Optional.of(refused.get());
            }
        }
        Head head = Journal.append(c, spec.id(), new Head(0, Bytes32.ZERO), Type.OPEN,
                spec.budget(), Account.FUNDING, Account.AVAILABLE, null, now);
        Journal.saveHead(c, spec.id(), head);
        return Optional.empty();
    }

    private static boolean sameTerms(Envelope existing, EnvelopeSpec spec) {
        // A child's budget shrinks to what it spent when it ends; compare the signed terms only.
        return existing.principal().equals(spec.principal())
                && existing.agent().equals(spec.agent())
                && existing.asset().equals(spec.asset())
                && Objects.equals(existing.parent(), spec.parent())
                && (existing.budget() == spec.budget()
                        || existing.status() == Envelope.Status.REVOKED
                        || existing.status() == Envelope.Status.EXPIRED);
    }

    /**
     * Reserves a new child's budget on its parent (the carve-out), after checking that the
     * child narrows it: same asset, no later expiry, skills within the parent's.
     */
    private static Optional<Refused> carveOut(Connection c, EnvelopeSpec spec, Instant now)
            throws SQLException {
        Bytes32 parentId = spec.parent();
        String parentAgent;
        try (PreparedStatement ps = c.prepareStatement("select asset, expires_at, skills, agent"
                + " from envelope where id = ?")) {
            ps.setString(1, parentId.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of(Refused.of(Refusal.UNKNOWN_MANDATE, "no such parent"));
                }
                Timestamp parentExpiry = rs.getTimestamp(2);
                List<String> parentSkills = Arrays.asList((String[]) rs.getArray(3).getArray());
                boolean narrows = rs.getString(1).equals(spec.asset().lowerHex())
                        && (parentExpiry == null || (spec.expiresAt() != null
                                && !spec.expiresAt().isAfter(parentExpiry.toInstant())))
                        && (parentSkills.isEmpty() || (!spec.skills().isEmpty()
                                && new HashSet<>(parentSkills).containsAll(spec.skills())));
                if (!narrows) {
                    return Optional.of(Refused.of(Refusal.SCOPE_WIDENS_PARENT));
                }
                parentAgent = rs.getString(4);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into reservation (envelope_id,"
                + " idempotency_key, kind, amount, state, expires_at, agent)"
                + " values (?, ?, 'carve_out', ?, 'pending', 'infinity', ?)")) {
            ps.setString(1, parentId.hex());
            ps.setString(2, spec.id().hex());
            ps.setLong(3, spec.budget());
            ps.setString(4, parentAgent);
            ps.executeUpdate();
        }
        Head head;
        try (PreparedStatement ps = c.prepareStatement("update envelope set"
                + " reserved = reserved + ? where id = ? and revoked_at is null"
                + " and (expires_at is null or expires_at > now())"
                + " and ? <= budget - spent - reserved returning journal_seq, journal_head")) {
            ps.setLong(1, spec.budget());
            ps.setString(2, parentId.hex());
            ps.setLong(3, spec.budget());
            head = Journal.headOf(ps);
        }
        if (head == null) {
            Refused why = EnvelopeReads.whyNotReservable(c, parentId, spec.budget(), now);
            return Optional.of(why.reason() == Refusal.INSUFFICIENT_BUDGET
                    ? Refused.of(Refusal.BUDGET_EXCEEDS_PARENT) : why);
        }
        head = Journal.append(c, parentId, head, Type.CARVE_OUT, spec.budget(),
                Account.AVAILABLE, Account.RESERVED, spec.id(), now);
        Journal.saveHead(c, parentId, head);
        return Optional.empty();
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

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
