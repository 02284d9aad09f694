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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Opening an envelope, in the caller's transaction with its journal appended from Java: the row,
 * and for a child the carve-out of its budget from its parent, which the child must narrow.
 */
final class EnvelopeOpening {

    private EnvelopeOpening() {
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
            PolicyWrites.inherit(c, spec.id());
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
