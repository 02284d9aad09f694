package dev.purser.task;

import dev.purser.db.DatabaseOutage;
import dev.purser.db.RetriedTransaction;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Groups the task inserts of concurrent requests (task row and its first events) into one
 * statement and one commit: under load many requests share a round trip, alone a request waits
 * no longer than its own insert. Each caller returns only once its rows are committed, so nothing
 * acknowledged is unstored.
 *
 * <p>Several writers take batches from the one queue, each on its own connection, so a batch
 * arriving while another waits for its commit's flush is written at once instead of waiting a
 * whole cycle behind it; PostgreSQL flushes concurrent commits together (bench/peers, "Latency").
 */
final class InsertBatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InsertBatcher.class);
    static final int MAX_BATCH = 256;
    /** Batches in flight at once: one writing while another flushes, one spare (bench/peers README). */
    static final int WRITERS = 3;

    /**
     * Both tables in one autocommit statement: one round trip, its commit included, where a
     * transaction of two statements takes three (and a wake-up of each side per trip).
     */
    private static final String SQL = "with t as (insert into task"
            + " (id, owner, context_id, state, status_at, version, skill, doc)"
            + " select id, owner, ctx, state, at::timestamptz, version, skill, doc::json from unnest("
            + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[])"
            + " as t(id, owner, ctx, state, at, skill, doc, version))"
            + " insert into task_event (task_id, seq, event)"
            + " select id, seq, event::jsonb from unnest(?::text[], ?::int[], ?::text[]) as e(id, seq, event)";

    /**
     * One task row, its columns as text, and its first events (seq 1..n, so the row's version is
     * n). No NOTIFY: nobody can subscribe to a task before it exists, and NOTIFY serializes
     * commits on a global lock.
     */
    record Row(String id, String owner, String contextId, String state, String statusAt,
            String skill, String doc, List<String> events) {
    }

    private record Pending(Row row, CompletableFuture<Void> done) {
    }

    private final DataSource db;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closing;

    InsertBatcher(DataSource db) {
        this(db, WRITERS);
    }

    InsertBatcher(DataSource db, int writerCount) {
        this.db = db;
        for (int i = 0; i < writerCount; i++) {
            writers.add(Thread.ofPlatform().name("task-insert-batcher-" + i).daemon().start(this::loop));
        }
    }

    /** Inserts the row; returns once it is committed, or throws what the database said. */
    void insert(Row row) {
        if (closing) {
            throw new IllegalStateException("shutting down");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(row, done));
        try {
            done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("task insert batch failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        int n = batch.size();
        String[][] cols = new String[7][n];
        Integer[] versions = new Integer[n];
        List<String> evTask = new ArrayList<>();
        List<Integer> evSeq = new ArrayList<>();
        List<String> evDoc = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Row r = batch.get(i).row();
            cols[0][i] = r.id();
            cols[1][i] = r.owner();
            cols[2][i] = r.contextId();
            cols[3][i] = r.state();
            cols[4][i] = r.statusAt();
            cols[5][i] = r.skill();
            cols[6][i] = r.doc();
            versions[i] = r.events().size();
            for (int e = 0; e < r.events().size(); e++) {
                evTask.add(r.id());
                evSeq.add(e + 1);
                evDoc.add(r.events().get(e));
            }
        }
        try {
            RetriedTransaction.statement(db, c -> {
                try (PreparedStatement ps = c.prepareStatement(SQL)) {
                    for (int k = 0; k < cols.length; k++) {
                        ps.setArray(k + 1, c.createArrayOf("text", cols[k]));
                    }
                    ps.setArray(8, c.createArrayOf("int4", versions));
                    ps.setArray(9, c.createArrayOf("text", evTask.toArray()));
                    ps.setArray(10, c.createArrayOf("int4", evSeq.toArray()));
                    ps.setArray(11, c.createArrayOf("text", evDoc.toArray()));
                    return ps.executeUpdate();
                }
            });
            batch.forEach(p -> p.done().complete(null));
        } catch (SQLException e) {
            RuntimeException failure = new TaskStore.StoreException("inserting " + n + " tasks", e);
            batch.forEach(p -> p.done().completeExceptionally(failure));
            if (DatabaseOutage.is(e)) {
                // What queued while the database did not answer would wait as long again behind
                // this batch: it fails with it (503 / a retry hint), never sent.
                for (Pending p; (p = queue.poll()) != null; ) {
                    p.done().completeExceptionally(failure);
                }
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.done().completeExceptionally(e)); // no caller may wait forever
            throw e;
        }
    }

    /** Writes what is queued, then stops the writers; a caller still waiting after that fails. */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (Thread w : writers) {
                w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RuntimeException stopped = new IllegalStateException("shutting down");
        for (Pending p; (p = queue.poll()) != null; ) {
            p.done().completeExceptionally(stopped);
        }
    }
}
