package dev.purser.metered;

import dev.purser.crypto.Bytes32;
import dev.purser.ledger.CaptureResult;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.ReleaseResult;
import dev.purser.ledger.Reservation;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The calls in flight ({@code metered_call}, plain SQL) and their reconciliation after a crash.
 * A call's hold names this reconciler ({@link #RECONCILER}), so the ledger stores it
 * settlement-unknown (the sweeper leaves it alone) and the call's row is written with it, in the
 * reservation's own transaction, and deleted when the hold is captured or released, in that
 * transaction (V14, V61): no hold is ever left that nothing will resolve, and the bookkeeping costs
 * no commit of its own. This reconciler resolves every row whose instance stopped beating —
 * release when the caller got nothing, capture when the stream had begun. The ledger resolves a
 * reservation once (capture and release are conditional), so a reconciler racing a live call can
 * never make it both.
 */
@ApplicationScoped
class MeteredCalls {

    /** The reconciler a metered call's draw names (its context's {@code reconciler}). */
    static final String RECONCILER = "metered";

    private static final Logger LOG = Logger.getLogger(MeteredCalls.class);
    private static final int BATCH = 100;

    private final DataSource db;
    private final Envelopes envelopes;
    private final MeteredConfig config;
    /** Reservation ids of the calls this instance runs: the heartbeat's list. */
    private final Set<Long> live = ConcurrentHashMap.newKeySet();

    MeteredCalls(DataSource db, Envelopes envelopes, MeteredConfig config) {
        this.db = db;
        this.envelopes = envelopes;
        this.config = config;
    }

    /**
     * The call holds {@code held}, whose row the ledger's transaction wrote: this instance now
     * keeps it beating.
     */
    void begin(Reservation held) {
        live.add(held.id());
    }

    /** The caller got its first byte: from now on a crash charges the reservation. */
    void streaming(Reservation held) {
        update("update metered_call set state = 'streaming', seen_at = now()"
                + " where reservation_id = ?", ps -> ps.setLong(1, held.id()));
    }

    /**
     * The flow ended: the capture or release that resolved the hold deleted its row. A hold the
     * flow could not resolve (the database failed) keeps its row, which the reconciler takes once
     * it stops beating.
     */
    void end(Reservation held) {
        live.remove(held.id());
    }

    @Scheduled(every = "${purser.metered.heartbeat:15s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() {
        if (live.isEmpty()) {
            return;
        }
        try {
            update("update metered_call set seen_at = now() where reservation_id = any(?)", ps -> {
                Array ids = ps.getConnection().createArrayOf("bigint", live.toArray());
                ps.setArray(1, ids);
            });
        } catch (RuntimeException e) {
            LOG.warnf("metered calls heartbeat: %s", e.toString());
        }
    }

    /**
     * Resolves the calls whose instance stopped beating. Each row is leased (its seen_at moved
     * on) before it is resolved, so two reconcilers never take the same one at once, and a
     * reconciler that dies half-way leaves the row for the next.
     */
    @Scheduled(every = "${purser.metered.heartbeat:15s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        try {
            for (Stale s : takeStale()) {
                resolve(s);
            }
        } catch (RuntimeException e) {
            LOG.warnf("metered calls reconciliation: %s", e.toString());
        }
    }

    private record Stale(Reservation held, String model, boolean streaming) {
    }

    private List<Stale> takeStale() {
        List<Stale> out = new ArrayList<>();
        String sql = "update metered_call set seen_at = now() where reservation_id in"
                + " (select reservation_id from metered_call where seen_at < now() - ?"
                + " * interval '1 millisecond' and not (reservation_id = any(?))"
                + " for update skip locked limit " + BATCH + ")"
                + " returning reservation_id, envelope_id, idempotency_key, amount, model, state";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, config.stale().toMillis());
            ps.setArray(2, c.createArrayOf("bigint", live.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Reservation r = new Reservation(rs.getLong(1), Bytes32.fromHex(rs.getString(2)),
                            Bytes32.fromHex(rs.getString(3)), rs.getLong(4), Instant.now());
                    out.add(new Stale(r, rs.getString(5), "streaming".equals(rs.getString(6))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading stale metered calls", e);
        }
        return out;
    }

    private void resolve(Stale s) {
        // A ledger refusal is final (already captured, already released, envelope closed):
        // either way the hold is resolved and the row has nothing left to do.
        String how = s.streaming()
                ? switch (envelopes.capture(s.held(), s.held().amount())) {
                    case CaptureResult.Captured c -> "captured (the caller had its stream)";
                    case dev.purser.ledger.Refused r -> "already resolved: " + r.reason().code();
                }
                : switch (envelopes.release(s.held())) {
                    case ReleaseResult.Done d -> "released (the caller got nothing)";
                    case dev.purser.ledger.Refused r -> "already resolved: " + r.reason().code();
                };
        LOG.warnf("metered call on %s (%s, reservation %d) outlived its instance: %s",
                s.held().envelopeId(), s.model(), s.held().id(), how);
        // resolved now or before: a row left beside a resolved hold (an older row) goes too
        update("delete from metered_call where reservation_id = ?", ps -> ps.setLong(1, s.held().id()));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("metered_call: " + e.getMessage(), e);
        }
    }
}
