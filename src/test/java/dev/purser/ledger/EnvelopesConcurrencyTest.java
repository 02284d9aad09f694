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
    /** Room for roughly a third of the distinct draws. */
    private static final long BUDGET = 40_000;

    @Inject
    Envelopes envelopes;

    /** One attempt: thread {@code thread}'s {@code i}-th, on key {@code k} for {@code amount}. */
    private interface Attempt {
        void run(int thread, int i, int k, Bytes32 key, long amount);
    }

    /** A run on one envelope: what each key drew, how often the budget said no. */
    private record Run(Bytes32 id, Map<Bytes32, Long> capturedByKey,
            AtomicInteger refusedForBudget) {
    }

    /**
     * 64 threads, 12 attempts each, released at once: 400 distinct keys for 768 attempts, so
     * most keys are tried more than once, concurrently; the key fixes the amount.
     */
    private void concurrently(Attempt attempt) throws Exception {
        List<Bytes32> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            keys.add(Ledgers.randomId());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < DRAWS_PER_THREAD; i++) {
                    int k = Math.floorMod(thread * 31 + i * 17, keys.size());
                    attempt.run(thread, i, k, keys.get(k), 100 + (k % 7) * 50);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
    }

    private Run newRun() {
        return new Run(Ledgers.open(envelopes, Ledgers.spec(BUDGET)).id(),
                new ConcurrentHashMap<>(), new AtomicInteger());
    }

    /**
     * spent ≤ budget, spent = the sum of the distinct captured draws, nothing left reserved, the
     * journal balanced and chained with one capture entry per key that drew.
     */
    private void assertInvariants(Run run) {
        Envelope after = envelopes.find(run.id()).orElseThrow();
        long sum = run.capturedByKey().values().stream().mapToLong(Long::longValue).sum();
        assertTrue(after.spent() <= BUDGET, "spent " + after.spent() + " <= budget");
        assertEquals(sum, after.spent(), "spent is the sum of the distinct captured draws");
        assertEquals(0, after.reserved(), "nothing is left reserved");
        assertTrue(run.refusedForBudget().get() > 0, "the budget did run out");
        List<JournalEntry> journal = Ledgers.audit(envelopes, run.id());
        assertEquals(run.capturedByKey().size(), journal.stream()
                .filter(e -> e.type() == JournalEntry.Type.CAPTURE).count(),
                "one capture entry per successful key");
    }

    @Test
    void sixtyFourThreadsNeverOverspendAndEachKeyDrawsOnce() throws Exception {
        Run run = newRun();
        concurrently((thread, i, k, key, amount) -> {
            switch (envelopes.reserve(run.id(), amount, key, Duration.ofMinutes(5),
                    DrawContext.direct("k" + k))) {
                case ReserveResult.Reserved r -> {
                    if (k % 11 == 0) {
                        envelopes.release(r.reservation());
                        return;
                    }
                    long take = k % 3 == 0 ? amount - 30 : amount; // some partial
                    Receipt receipt = Ledgers.captured(envelopes.capture(r.reservation(), take));
                    Long before = run.capturedByKey().putIfAbsent(key, receipt.amount());
                    assertTrue(before == null, "a key is captured once: " + key);
                }
                case ReserveResult.AlreadyCaptured done ->
                        assertEquals(key, done.receipt().idempotencyKey());
                case Refused refused -> count(refused, run.refusedForBudget());
            }
        });
        assertInvariants(run);
        assertTrue(run.capturedByKey().size() > 10, "many draws succeeded");
        for (Map.Entry<Bytes32, Long> draw : run.capturedByKey().entrySet()) {
            Receipt receipt = envelopes.receipt(run.id(), draw.getKey()).orElseThrow();
            assertEquals(draw.getValue(), receipt.amount());
        }
    }

    @Test
    void oneAndTwoPhaseDrawsTogetherNeverOverspendAndEachKeyDrawsOnce() throws Exception {
        Run run = newRun();
        // A key may be tried as a one-phase draw by one thread and as a two-phase one by another.
        AtomicInteger onePhase = new AtomicInteger();
        concurrently((thread, i, k, key, amount) -> {
            if ((thread + i) % 2 == 0) {
                switch (envelopes.draw(run.id(), amount, key, DrawContext.direct("k" + k))) {
                    case CaptureResult.Captured c -> {
                        onePhase.incrementAndGet();
                        record(run, key, c.receipt().amount());
                    }
                    case Refused refused -> count(refused, run.refusedForBudget());
                }
                return;
            }
            switch (envelopes.reserve(run.id(), amount, key, Duration.ofMinutes(5),
                    DrawContext.direct("k" + k))) {
                case ReserveResult.Reserved r -> record(run, key, Ledgers.captured(
                        envelopes.capture(r.reservation(), k % 3 == 0 ? amount - 30 : amount))
                        .amount());
                case ReserveResult.AlreadyCaptured done ->
                        record(run, key, done.receipt().amount());
                case Refused refused -> count(refused, run.refusedForBudget());
            }
        });
        assertInvariants(run);
        assertTrue(onePhase.get() > 10, "one-phase draws succeeded");
    }

    /** The first receipt of a key fixes its amount; any later answer for the key repeats it. */
    private static void record(Run run, Bytes32 key, long amount) {
        Long before = run.capturedByKey().putIfAbsent(key, amount);
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
