package dev.purser.ledger;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The soft-limit notice outbox (table {@code ledger_notice}, V11): the ledger records notices in
 * the capturing transaction; a delivery worker (in {@code task}, which owns webhook delivery and
 * its SSRF guard) claims due ones, posts them and reports back here. Any instance may claim any
 * notice; a claim is a lease, so one left by a crashed instance is taken over.
 */
@ApplicationScoped
public class LedgerNotices {

    /** PostgreSQL NOTIFY channel on which a new notice is announced. */
    public static final String CHANNEL = "purser_ledger_notice";

    private static final String COLUMNS = "n.id, n.envelope_id, e.principal, e.agent, e.asset,"
            + " n.threshold, n.budget, n.spent, nullif(n.period_start, '-infinity'), n.task_id,"
            + " coalesce(e.webhook, ?), n.attempts, n.pushed, n.created_at";

    private final DataSource db;
    private final LedgerConfig config;

    public LedgerNotices(DataSource db, LedgerConfig config) {
        this.db = db;
        this.config = config;
    }

    /** Claims up to {@code max} undelivered notices that are due, for {@code lease}. */
    public List<Notice> claim(int max, Duration lease) {
        return LedgerTransaction.run(db, "claiming notices", c -> {
            try (PreparedStatement ps = c.prepareStatement("with due as (select id from"
                    + " ledger_notice where delivered_at is null and due_at <= now()"
                    + " and (locked_until is null or locked_until < now())"
                    + " order by id limit ? for update skip locked),"
                    + " claimed as (update ledger_notice x set attempts = x.attempts + 1,"
                    + " locked_until = now() + ? * interval '1 millisecond'"
                    + " from due where x.id = due.id returning x.*)"
                    + " select " + COLUMNS + " from claimed n join envelope e"
                    + " on e.id = n.envelope_id order by n.id")) {
                ps.setInt(1, max);
                ps.setLong(2, lease.toMillis());
                ps.setString(3, config.ledgerWebhook().orElse(null));
                return read(ps);
            }
        });
    }

    /** Every notice of the envelope, oldest first (delivered or not). */
    public List<Notice> of(Bytes32 envelopeId) {
        return LedgerTransaction.run(db, "reading notices", c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                    + " from ledger_notice n join envelope e on e.id = n.envelope_id"
                    + " where n.envelope_id = ? order by n.id")) {
                ps.setString(1, config.ledgerWebhook().orElse(null));
                ps.setString(2, envelopeId.hex());
                return read(ps);
            }
        });
    }

    /** Delivered (or nowhere to deliver): never again. */
    public void delivered(long id) {
        finish(id, null);
    }

    /** Given up on after too many attempts, or refused by the SSRF guard. */
    public void dropped(long id, String error) {
        finish(id, error);
    }

    /** Failed this time: due again after {@code delay}. */
    public void retry(long id, Duration delay, String error) {
        update("update ledger_notice set due_at = now() + ? * interval '1 millisecond',"
                + " locked_until = null, last_error = ? where id = ?", delay.toMillis(),
                truncate(error), id);
    }

    /** The task's push configs have been given the notice. */
    public void pushed(long id) {
        update("update ledger_notice set pushed = true where id = ?", id);
    }

    private void finish(long id, String error) {
        update("update ledger_notice set delivered_at = now(), locked_until = null,"
                + " last_error = ? where id = ?", truncate(error), id);
    }

    private void update(String sql, Object... args) {
        LedgerTransaction.run(db, "updating a notice", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 500 ? error : error.substring(0, 500);
    }

    private static List<Notice> read(PreparedStatement ps) throws SQLException {
        List<Notice> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp period = rs.getTimestamp(9);
                out.add(new Notice(rs.getLong(1), Bytes32.fromHex(rs.getString(2)),
                        Address.of(rs.getString(3)), Address.of(rs.getString(4)),
                        Address.of(rs.getString(5)), rs.getInt(6), rs.getLong(7), rs.getLong(8),
                        period == null ? null : period.toInstant(), rs.getString(10), rs.getString(11),
                        rs.getInt(12), rs.getBoolean(13), rs.getTimestamp(14).toInstant()));
            }
        }
        return out;
    }
}
