package dev.purser.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.db.DatabaseOutage;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The batcher with several batches in flight: every caller's row committed once before it
 * returns, a batch stuck on its connection not holding back the next one, and an outage failing
 * every waiting caller instead of leaving one hanging. The waits below only keep a broken batcher
 * from hanging the build; nothing is timed.
 */
@QuarkusTest
class InsertBatcherTest {

    /** Long enough for any machine; a batcher that never answers fails here instead of hanging. */
    private static final long HANG_GUARD_SECONDS = 120;

    @Inject
    DataSource db;

    private static InsertBatcher.Row row(String owner, int events) {
        String id = TaskIds.next();
        List<String> evs = new ArrayList<>();
        for (int e = 1; e <= events; e++) {
            evs.add("{\"n\":" + e + "}");
        }
        return new InsertBatcher.Row(id, owner, "ctx", "completed", Instant.now().toString(), "echo",
                "{\"id\":\"" + id + "\"}", evs);
    }

    private long count(String sql, String owner) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private boolean stored(String id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from task where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Test
    void manyConcurrentInsertsAreEachCommittedOnceBeforeTheirCallerReturns() throws Exception {
        String owner = "batcher-" + UUID.randomUUID();
        int callers = 1_000;
        try (InsertBatcher batcher = new InsertBatcher(db, 3);
                ExecutorService pool = Executors.newFixedThreadPool(64)) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                all.add(pool.submit(() -> {
                    InsertBatcher.Row r = row(owner, 2);
                    batcher.insert(r);
                    assertTrue(stored(r.id()), "committed, so visible to another connection at once");
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            }
        }
        assertEquals(callers, count("select count(*) from task where owner = ?", owner));
        assertEquals(callers, count("select count(*) from task where owner = ? and version = 2", owner));
        assertEquals(2L * callers, count("select count(*) from task_event e join task t on t.id = e.task_id"
                + " where t.owner = ?", owner));
    }

    @Test
    void aBatchStuckOnItsConnectionDoesNotHoldBackTheNext() throws Exception {
        String owner = "batcher-" + UUID.randomUUID();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        DataSource firstBlocks = dataSource(() -> {
            if (calls.getAndIncrement() == 0) {
                stuck.countDown();
                release.await();
            }
            return db.getConnection();
        });
        try (InsertBatcher batcher = new InsertBatcher(firstBlocks, 2);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                Released r = release::countDown) {
            InsertBatcher.Row a = row(owner, 1);
            Future<?> first = pool.submit(() -> batcher.insert(a));
            assertTrue(stuck.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
            InsertBatcher.Row b = row(owner, 1);
            pool.submit(() -> batcher.insert(b)).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            assertTrue(stored(b.id()), "the second batch committed while the first was stuck");
            assertFalse(first.isDone());
            assertFalse(stored(a.id()));
            release.countDown();
            first.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            assertTrue(stored(a.id()));
        }
    }

    @Test
    void anOutageFailsEveryWaitingCallerWithTheOutage() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothWriters = new CountDownLatch(2);
        DataSource down = dataSource(() -> {
            bothWriters.countDown();
            release.await();
            throw new SQLTransientConnectionException("connection refused", "08001");
        });
        int callers = 8;
        try (InsertBatcher batcher = new InsertBatcher(down, 2);
                ExecutorService pool = Executors.newFixedThreadPool(callers);
                Released r = release::countDown) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                all.add(pool.submit(() -> batcher.insert(row("down", 1))));
            }
            // both writers wait on the database; the other callers queue behind them
            assertTrue(bothWriters.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
            release.countDown();
            for (Future<?> f : all) {
                ExecutionException e = assertThrows(
                        ExecutionException.class, () -> f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
                TaskStore.StoreException failure = assertInstanceOf(TaskStore.StoreException.class, e.getCause());
                assertTrue(DatabaseOutage.is(failure), "answered as an outage (503), not a bug");
            }
        }
    }

    /** Opens the gate on the way out, so a failed assertion never leaves a writer stuck. */
    @FunctionalInterface
    private interface Released extends AutoCloseable {
        @Override
        void close();
    }

    /** A connection source for a {@link DataSource} whose other methods are not used here. */
    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws Exception;
    }

    private static DataSource dataSource(ConnectionSource source) {
        return (DataSource) Proxy.newProxyInstance(InsertBatcherTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return source.get();
                });
    }
}
