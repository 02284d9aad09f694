package dev.purser.ledger;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading envelopes: their state as of {@code now} (a recurring envelope whose period ended shows
 * the new period's spent, 0, before its first draw of the period records the roll), the journal
 * pages, the report and the quote.
 */
final class EnvelopeReads {

    private static final String ENVELOPE_COLUMNS = "id, principal, agent, asset, network, budget,"
            + " case when period_start < ledger_period_start(recurrence, ?) then 0 else spent end"
            + " as spent, reserved, per_task_max, revoked_at, not_before, expires_at, parent,"
            + " (revoked_at is null and expires_at is not null and expires_at <= now()) as expired,"
            + " daily_max, policy_rate, policy_concurrency, policy_loop, soft_limits, webhook,"
            + " policy_issued_at";

    private EnvelopeReads() {
    }

    static OffsetDateTime at(Instant now) {
        return OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    }

    /** Its skills ({@code []} = any), or empty if there is no such envelope. */
    static Optional<List<String>> skills(Connection c, Bytes32 id) throws SQLException {
        String sql = "select skills from envelope where id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                java.sql.Array skills = rs.getArray(1);
                return Optional.of(skills == null ? List.<String>of()
                        : List.of((String[]) skills.getArray()));
            }
        }
    }

    static Optional<Envelope> load(Connection c, Bytes32 id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENVELOPE_COLUMNS
                + " from envelope where id = ?")) {
            ps.setObject(1, at(now));
            ps.setString(2, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<Bytes32> children = new ArrayList<>();
                try (PreparedStatement kids = c.prepareStatement(
                        "select id from envelope where parent = ? order by created_at, id")) {
                    kids.setString(1, id.hex());
                    try (ResultSet k = kids.executeQuery()) {
                        while (k.next()) {
                            children.add(Bytes32.fromHex(k.getString(1)));
                        }
                    }
                }
                long budget = rs.getLong("budget");
                long spent = rs.getLong("spent");
                Envelope.Status status = rs.getTimestamp("revoked_at") != null
                        ? Envelope.Status.REVOKED
                        : rs.getBoolean("expired") ? Envelope.Status.EXPIRED
                        : spent == budget ? Envelope.Status.EXHAUSTED : Envelope.Status.ACTIVE;
                String parent = rs.getString("parent");
                return Optional.of(new Envelope(id, Address.of(rs.getString("principal")),
                        Address.of(rs.getString("agent")), Address.of(rs.getString("asset")),
                        rs.getString("network"), budget, spent, rs.getLong("reserved"),
                        rs.getLong("per_task_max"), status, instant(rs, "not_before"),
                        instant(rs, "expires_at"),
                        parent == null ? null : Bytes32.fromHex(parent), children,
                        policy(rs)));
            }
        }
    }

    private static EnvelopePolicy policy(ResultSet rs) throws SQLException {
        java.sql.Array soft = rs.getArray("soft_limits");
        return new EnvelopePolicy(rs.getLong("daily_max"), rs.getInt("policy_rate"),
                rs.getInt("policy_concurrency"), rs.getInt("policy_loop"),
                soft == null ? List.of() : List.of((Integer[]) soft.getArray()),
                rs.getString("webhook"), rs.getLong("policy_issued_at"));
    }

    static boolean exists(Connection c, Bytes32 id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from envelope where id = ?")) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A page of the journal after {@code after}, with the receipts of its captures. */
    static LedgerPage page(Connection c, Receipts receipts, Bytes32 envelopeId, long after,
            int pageSize) throws SQLException {
        List<JournalEntry> entries = new ArrayList<>();
        Long next = null;
        try (PreparedStatement ps = c.prepareStatement("select doc, hash from journal_entry"
                + " where envelope_id = ? and seq > ? order by seq limit ?")) {
            ps.setString(1, envelopeId.hex());
            ps.setLong(2, Math.max(0, after));
            ps.setInt(3, pageSize + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (entries.size() == pageSize) {
                        next = entries.get(entries.size() - 1).seq();
                        break;
                    }
                    entries.add(Journal.entryOf(rs.getString(1), rs.getString(2)));
                }
            }
        }
        List<Receipt> found = entries.isEmpty() ? List.of() : receipts.inRange(c, envelopeId,
                entries.get(0).seq(), entries.get(entries.size() - 1).seq());
        return new LedgerPage(entries, found, next);
    }

    static SpendReport report(Connection c, Envelope e) throws SQLException {
        String terminatedBy = e.status() == Envelope.Status.ACTIVE ? null : e.status().wire();
        List<SpendReport.Line> bySkill = lines(c, e.id(),
                "coalesce(context->>'skill', 'direct')");
        List<SpendReport.Line> byProvider = lines(c, e.id(),
                "coalesce(context->>'provider', 'none')");
        List<SpendReport.Line> byDay = lines(c, e.id(),
                "to_char(resolved_at at time zone 'UTC', 'YYYY-MM-DD')");
        long draws = byDay.stream().mapToLong(SpendReport.Line::draws).sum();
        return new SpendReport(e.id(), e.budget(), e.spent(), e.reserved(), draws, bySkill,
                byProvider, byDay, terminatedBy);
    }

    private static List<SpendReport.Line> lines(Connection c, Bytes32 envelopeId, String key)
            throws SQLException {
        List<SpendReport.Line> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + key + ","
                + " sum(captured - refunded), count(*) from reservation where envelope_id = ?"
                + " and kind = 'draw' and state = 'captured' group by 1 order by 1")) {
            ps.setString(1, envelopeId.hex());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(new SpendReport.Line(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return lines;
    }

    /** Why a reservation of {@code amount} would be refused now by the envelope itself. */
    static Refused whyNotReservable(Connection c, Bytes32 envelopeId, long amount, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select ledger_why_not(?, ?, ?)")) {
            ps.setString(1, envelopeId.hex());
            ps.setLong(2, amount);
            ps.setObject(3, at(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Refused.of(Refusal.valueOf(rs.getString(1).toUpperCase(
                        java.util.Locale.ROOT)));
            }
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
