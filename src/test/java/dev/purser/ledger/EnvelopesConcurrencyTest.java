package dev.purser.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.crypto.Bytes32;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EnvelopesConcurrencyTest {

    private static final int THREADS = 64;
    private static final int DRAWS_PER_THREAD = 12;

    @Inject
    Envelopes envelopes;

    @Test
    void sixtyFourThreadsNeverOverspendAndEachKeyDrawsOnce() throws Exception {
        // Room for roughly a third of the distinct draws.
        long budget = 40_000;
        Envelope envelope = Ledgers.open(envelopes, Ledgers.spec(budget));
        Bytes32 id = envelope.id();
        // 400 distinct keys for 768 attempts: most keys are tried more than once, concurrently.
        List<Bytes32> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            keys.add(Ledgers.randomId());
        }
        Map<Bytes32, Long> capturedByKey = new ConcurrentHashMap<>();
        AtomicInteger refusedForBudget = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < DRAWS_PER_THREAD; i++) {
                    int k = Math.floorMod(thread * 31 + i * 17, keys.size());
                    Bytes32 key = keys.get(k);
                    long amount = 100 + (k % 7) * 50; // the key fixes the amount
                    ReserveResult result = envelopes.reserve(id, amount, key,
                            Duration.ofMinutes(5), DrawContext.direct("k" + k));
                    switch (result) {
                        case ReserveResult.Reserved r -> {
                            if (k % 11 == 0) {
                                envelopes.release(r.reservation());
                                continue;
                            }
                            long take = k % 3 == 0 ? amount - 30 : amount; // some partial
                            Receipt receipt = Ledgers.captured(
                                    envelopes.capture(r.reservation(), take));
                            Long before = capturedByKey.putIfAbsent(key, receipt.amount());
                            assertTrue(before == null, "a key is captured once: " + key);
                        }
                        case ReserveResult.AlreadyCaptured done ->
                                assertEquals(key, done.receipt().idempotencyKey());
                        case Refused refused -> {
                            switch (refused.reason()) {
                                case INSUFFICIENT_BUDGET -> refusedForBudget.incrementAndGet();
                                case IDEMPOTENCY_KEY_IN_FLIGHT -> { }
                                default -> throw new AssertionError(refused.toString());
                            }
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        Envelope after = envelopes.find(id).orElseThrow();
        long sum = capturedByKey.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(after.spent() <= budget, "spent " + after.spent() + " <= budget");
        assertEquals(sum, after.spent(), "spent is the sum of the distinct captured draws");
        assertEquals(0, after.reserved(), "nothing is left reserved");
        assertTrue(refusedForBudget.get() > 0, "the budget did run out");
        assertTrue(capturedByKey.size() > 10, "many draws succeeded");
        List<JournalEntry> journal = Ledgers.audit(envelopes, id);
        long captures = journal.stream().filter(e -> e.type() == JournalEntry.Type.CAPTURE)
                .count();
        assertEquals(capturedByKey.size(), captures, "one capture entry per successful key");
        for (Map.Entry<Bytes32, Long> draw : capturedByKey.entrySet()) {
            Receipt receipt = envelopes.receipt(id, draw.getKey()).orElseThrow();
            assertEquals(draw.getValue(), receipt.amount());
        }
    }

    @Test
    void oneAndTwoPhaseDrawsTogetherNeverOverspendAndEachKeyDrawsOnce() throws Exception {
        long budget = 40_000;
        Bytes32 id = Ledgers.open(envelopes, Ledgers.spec(budget)).id();
        List<Bytes32> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            keys.add(Ledgers.randomId());
        }
        // A key may be tried as a one-phase draw by one thread and as a two-phase one by another.
        Map<Bytes32, Long> capturedByKey = new ConcurrentHashMap<>();
        AtomicInteger refusedForBudget = new AtomicInteger();
        AtomicInteger onePhase = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < DRAWS_PER_THREAD; i++) {
                    int k = Math.floorMod(thread * 31 + i * 17, keys.size());
                    Bytes32 key = keys.get(k);
                    long amount = 100 + (k % 7) * 50;
                    if ((thread + i) % 2 == 0) {
                        switch (envelopes.draw(id, amount, key, DrawContext.direct("k" + k))) {
                            case CaptureResult.Captured c -> {
                                onePhase.incrementAndGet();
                                record(capturedByKey, key, c.receipt().amount());
                            }
                            case Refused refused -> count(refused, refusedForBudget);
                        }
                        continue;
                    }
                    switch (envelopes.reserve(id, amount, key, Duration.ofMinutes(5),
                            DrawContext.direct("k" + k))) {
                        case ReserveResult.Reserved r -> record(capturedByKey, key,
                                Ledgers.captured(envelopes.capture(r.reservation(),
                                        k % 3 == 0 ? amount - 30 : amount)).amount());
                        case ReserveResult.AlreadyCaptured done ->
                                record(capturedByKey, key, done.receipt().amount());
                        case Refused refused -> count(refused, refusedForBudget);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        Envelope after = envelopes.find(id).orElseThrow();
        long sum = capturedByKey.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(after.spent() <= budget, "spent " + after.spent() + " <= budget");
        assertEquals(sum, after.spent(), "spent is the sum of the distinct captured draws");
        assertEquals(0, after.reserved(), "nothing is left reserved");
        assertTrue(refusedForBudget.get() > 0, "the budget did run out");
        assertTrue(onePhase.get() > 10, "one-phase draws succeeded");
        List<JournalEntry> journal = Ledgers.audit(envelopes, id);
        assertEquals(capturedByKey.size(), journal.stream()
                .filter(e -> e.type() == JournalEntry.Type.CAPTURE).count(),
                "one capture entry per successful key");
    }

    /** The first receipt of a key fixes its amount; any later answer for the key repeats it. */
    private static void record(Map<Bytes32, Long> capturedByKey, Bytes32 key, long amount) {
        Long before = capturedByKey.putIfAbsent(key, amount);
        assertTrue(before == null || before == amount, "key " + key + " drew once");
    }

    private static void count(Refused refused, AtomicInteger refusedForBudget) {
        switch (refused.reason()) {
            case INSUFFICIENT_BUDGET -> refusedForBudget.incrementAndGet();
            case IDEMPOTENCY_KEY_IN_FLIGHT -> { }
            default -> throw new AssertionError(refused.toString());
        }
    }
}
