package dev.purser.ledger;

import dev.purser.crypto.Bytes32;
import dev.purser.db.DatabaseOutage;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Group commit for the draw path: concurrent reserve, capture and release calls on the same
 * envelope (more exactly, on envelopes of the same stripe) share one transaction, one round trip
 * ({@code ledger_apply}, V12) and one commit. PostgreSQL admits each operation in arrival order
 * against the envelope row it locked for the batch, with its own outcome (a refused operation
 * writes nothing), and writes each envelope back once, in an UPDATE whose WHERE clause and CHECK
 * constraints are the invariant.
 *
 * <p>Combining without a thread of its own per stripe: a caller queues its operation; if no one
 * is draining its stripe, it drains it itself, in batches, until its own operation is done, then
 * hands whatever is still queued to a virtual thread that drains on. Callers wait on their own
 * future and are woken directly when the batch holding their operation commits (or fails, then
 * they throw). Alone, a call costs one transaction; under contention, the calls that arrive while
 * one batch runs form the next.
 */
@ApplicationScoped
class DrawBatcher {

    /**
     * Lanes, each with at most one batch in flight. Many, so that a batch rarely holds more than
     * one envelope: a batch keeps each envelope's agent guard row locked until it commits, and
     * two batches holding envelopes of the same agents in different orders would deadlock.
     */
    static final int STRIPES = 64;
    /**
     * At most this many operations per transaction: enough to amortize a commit's WAL flush many
     * times over, few enough that one batch's locks and latency stay short.
     */
    static final int MAX_BATCH = 128;

    /**
     * One operation: {@code reserve}, {@code draw} (reserve and capture at once), {@code capture},
     * {@code release} or {@code expire}.
     */
    record Op(String kind, Bytes32 envelope, Bytes32 key, long reservation, long amount,
            long ttlMillis, String context, String fingerprint) {

        static Op reserve(Bytes32 envelope, Bytes32 key, long amount, long ttlMillis,
                String context, String fingerprint) {
            return new Op("reserve", envelope, key, 0, amount, ttlMillis, context, fingerprint);
        }

        static Op draw(Bytes32 envelope, Bytes32 key, long amount, long ttlMillis,
                String context, String fingerprint) {
            return new Op("draw", envelope, key, 0, amount, ttlMillis, context, fingerprint);
        }

        static Op capture(Bytes32 envelope, long reservation, long amount) {
            return new Op("capture", envelope, null, reservation, amount, 0, null, null);
        }

        static Op release(Bytes32 envelope, long reservation, boolean onlyIfExpired) {
            return new Op(onlyIfExpired ? "expire" : "release", envelope, null, reservation, 0,
                    0, null, null);
        }
    }

    /** A row of {@code ledger_result}: the outcome code and what goes with it. */
    record Outcome(String code, Bytes32 envelope, Bytes32 key, long reservation,
            Instant expiresAt, long retryAfterSeconds, long amount, long entrySeq,
            Bytes32 entryHash, long issuedAt) {
    }

    private static final class Pending {
        final Op op;
        final CompletableFuture<Outcome> done = new CompletableFuture<>();

        Pending(Op op) {
            this.op = op;
        }
    }

    private static final class Lane {
        final AtomicBoolean draining = new AtomicBoolean();
        final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    }

    private final DataSource db;
    private final LedgerConfig config;
    private final LedgerClock clock;
    private final Lane[] lanes = new Lane[STRIPES];

    DrawBatcher(DataSource db, LedgerConfig config, LedgerClock clock) {
        this.db = db;
        this.config = config;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            lanes[i] = new Lane();
        }
    }

    /** Runs {@code op} in the next batch of its stripe; returns once that batch committed. */
    Outcome submit(Op op) {
        Lane lane = lanes[Math.floorMod(op.envelope().hashCode(), STRIPES)];
        Pending mine = new Pending(op);
        lane.queue.add(mine);
        if (lane.draining.compareAndSet(false, true)) {
            drain(lane, mine);
        }
        try {
            return mine.done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Runs the lane's queue in batches; the caller owns {@code draining}. With {@code mine}, stops
     * once it is done and leaves the rest to a virtual thread, so no caller waits on others.
     */
    private void drain(Lane lane, Pending mine) {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            Pending next;
            while (batch.size() < MAX_BATCH && (next = lane.queue.poll()) != null) {
                batch.add(next);
            }
            RuntimeException failed = run(batch);
            if (failed != null && DatabaseOutage.is(failed)) {
                // What queued while the database did not answer would wait as long again: it
                // fails with this batch (503 / a retry hint), never sent, so nothing of it ran.
                for (Pending p; (p = lane.queue.poll()) != null; ) {
                    p.done.completeExceptionally(failed);
                }
            }
            if (!lane.queue.isEmpty()) {
                if (mine != null && mine.done.isDone()) {
                    Thread.ofVirtual().name("ledger-drain").start(() -> drain(lane, null));
                    return;
                }
                continue;
            }
            lane.draining.set(false);
            // Something queued between the last poll and the release must not be stranded.
            if (lane.queue.isEmpty() || !lane.draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Runs {@code ops} as one batch now, bypassing the stripes (the sweeper's releases). */
    List<Outcome> applyAll(List<Op> ops) {
        List<Pending> batch = ops.stream().map(Pending::new).toList();
        run(batch);
        return batch.stream().map(p -> {
            try {
                return p.done.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }).toList();
    }

    /** Runs the batch and completes its futures; returns what failed it, or null. */
    private RuntimeException run(List<Pending> batch) {
        if (batch.isEmpty()) {
            return null;
        }
        // Envelope order (stable: arrival order within one envelope): batches touching several
        // envelopes lock them in one order, and ledger_apply locks and writes each one once.
        List<Pending> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparing(p -> p.op.envelope().hex()));
        try {
            // One statement, its own transaction: one round trip, the commit included.
            List<Outcome> outcomes = LedgerTransaction.statement(db,
                    "applying " + ordered.size() + " draw operations",
                    c -> apply(c, ordered));
            for (int i = 0; i < ordered.size(); i++) {
                ordered.get(i).done.complete(outcomes.get(i));
            }
            return null;
        } catch (RuntimeException e) {
            for (Pending p : ordered) {
                p.done.completeExceptionally(e);
            }
            return e;
        }
    }

    private List<Outcome> apply(Connection c, List<Pending> batch) throws SQLException {
        int n = batch.size();
        String[] kinds = new String[n];
        String[] envelopes = new String[n];
        String[] keys = new String[n];
        Long[] reservations = new Long[n];
        Long[] amounts = new Long[n];
        Long[] ttls = new Long[n];
        String[] contexts = new String[n];
        String[] prints = new String[n];
        for (int i = 0; i < n; i++) {
            Op op = batch.get(i).op;
            kinds[i] = op.kind();
            envelopes[i] = op.envelope().hex();
            keys[i] = op.key() == null ? null : op.key().hex();
            reservations[i] = op.reservation();
            amounts[i] = op.amount();
            ttls[i] = op.ttlMillis();
            contexts[i] = op.context();
            prints[i] = op.fingerprint();
        }
        LedgerConfig.Guard guard = config.guard();
        List<Outcome> out = new ArrayList<>(n);
        try (PreparedStatement ps = c.prepareStatement("select outcome, envelope_id,"
                + " idempotency_key, reservation_id, expires_at, retry_after, amount, entry_seq,"
                + " entry_hash, issued_at from ledger_apply(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setArray(1, c.createArrayOf("text", kinds));
            ps.setArray(2, c.createArrayOf("text", envelopes));
            ps.setArray(3, c.createArrayOf("text", keys));
            ps.setArray(4, c.createArrayOf("int8", reservations));
            ps.setArray(5, c.createArrayOf("int8", amounts));
            ps.setArray(6, c.createArrayOf("int8", ttls));
            ps.setArray(7, c.createArrayOf("text", contexts));
            ps.setArray(8, c.createArrayOf("text", prints));
            ps.setObject(9, OffsetDateTime.ofInstant(clock.now(), ZoneOffset.UTC));
            ps.setInt(10, guard.rate());
            ps.setInt(11, guard.concurrency());
            ps.setInt(12, guard.loop());
            Array soft = c.createArrayOf("int4", config.softLimits().toArray());
            ps.setArray(13, soft);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp expires = rs.getTimestamp(5);
                    String envelope = rs.getString(2);
                    String key = rs.getString(3);
                    String hash = rs.getString(9);
                    out.add(new Outcome(rs.getString(1),
                            envelope == null ? null : Bytes32.fromHex(envelope),
                            key == null ? null : Bytes32.fromHex(key), rs.getLong(4),
                            expires == null ? null : expires.toInstant(), rs.getLong(6),
                            rs.getLong(7), rs.getLong(8),
                            hash == null ? null : Bytes32.fromHex(hash), rs.getLong(10)));
                }
            }
        }
        if (out.size() != n) {
            throw new IllegalStateException("ledger_apply answered " + out.size() + " of " + n);
        }
        return out;
    }
}
