package dev.purser.ledger;

import static dev.purser.ledger.Ledgers.captured;
import static dev.purser.ledger.Ledgers.open;
import static dev.purser.ledger.Ledgers.refusal;
import static dev.purser.ledger.Ledgers.reserved;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.crypto.Bytes32;
import dev.purser.ledger.EnvelopeSpec.Recurrence;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Recurring budgets: the period rolls in the statement that draws, once, whatever the
 * concurrency; what one period spent never counts in the next. The ledger's clock is moved
 * across the boundary (the database computes the boundary from it).
 */
@QuarkusTest
class LedgerPeriodsTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    @Inject
    Envelopes envelopes;

    @Inject
    LedgerNotices notices;

    private MovableClock clockAt(String instant) {
        MovableClock clock = new MovableClock(Instant.parse(instant));
        QuarkusMock.installMockForType(clock, LedgerClock.class);
        return clock;
    }

    private Receipt draw(Bytes32 id, long amount) {
        return captured(envelopes.capture(reserved(envelopes.reserve(id, amount,
                Ledgers.randomId(), TTL, DrawContext.NONE)), amount));
    }

    private static long entries(List<JournalEntry> journal, JournalEntry.Type type) {
        return journal.stream().filter(e -> e.type() == type).count();
    }

    @Test
    void aMonthlyBudgetRollsAtTheBoundaryAndSpendNeverLeaksIntoTheNextMonth() {
        MovableClock clock = clockAt("2030-01-31T23:59:00Z");
        Envelope e = open(envelopes, Ledgers.spec(1000).withRecurrence(Recurrence.MONTHLY));
        draw(e.id(), 700);
        assertEquals(Refusal.INSUFFICIENT_BUDGET, refusal(envelopes.reserve(e.id(), 301,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        Reservation january = reserved(envelopes.reserve(e.id(), 200, Ledgers.randomId(), TTL,
                DrawContext.NONE));

        clock.set(Instant.parse("2030-02-01T00:00:01Z"));
        Envelope february = envelopes.find(e.id()).orElseThrow();
        assertEquals(0, february.spent(), "January's spend is not February's");
        assertEquals(200, february.reserved(), "a held reservation stays held");
        assertEquals(800, february.remaining());
        assertEquals(Refusal.INSUFFICIENT_BUDGET, refusal(envelopes.reserve(e.id(), 801,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        draw(e.id(), 800);
        // January's reservation, captured in February, is February's spend.
        captured(envelopes.capture(january, 150));
        Envelope after = envelopes.find(e.id()).orElseThrow();
        assertEquals(950, after.spent());
        assertEquals(0, after.reserved());
        List<JournalEntry> journal = Ledgers.audit(envelopes, e.id());
        assertEquals(1, entries(journal, JournalEntry.Type.ROLL), "one roll");
        JournalEntry roll = journal.stream().filter(x -> x.type() == JournalEntry.Type.ROLL)
                .findFirst().orElseThrow();
        assertEquals(700, roll.amount(), "the roll closes January's 700");

        // A period with no draw at all rolls nothing, and the next one starts over again.
        clock.set(Instant.parse("2030-04-15T12:00:00Z"));
        assertEquals(0, envelopes.find(e.id()).orElseThrow().spent());
        draw(e.id(), 1000);
        assertEquals(Refusal.INSUFFICIENT_BUDGET, refusal(envelopes.reserve(e.id(), 1,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        assertEquals(2, entries(Ledgers.audit(envelopes, e.id()), JournalEntry.Type.ROLL));
    }

    @Test
    void concurrentDrawsAcrossADailyBoundaryRollOnceAndNeverOverspendTheNewDay() throws Exception {
        MovableClock clock = clockAt("2030-03-10T23:00:00Z");
        Envelope e = open(envelopes, Ledgers.spec(1000).withRecurrence(Recurrence.DAILY));
        draw(e.id(), 1000);
        clock.set(Instant.parse("2030-03-11T00:00:00Z"));
        int threads = 32;
        AtomicInteger drawn = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                ReserveResult r = envelopes.reserve(e.id(), 100, Ledgers.randomId(), TTL,
                        DrawContext.NONE);
                if (r instanceof ReserveResult.Reserved ok) {
                    captured(envelopes.capture(ok.reservation(), 100));
                    drawn.incrementAndGet();
                } else {
                    assertEquals(Refusal.INSUFFICIENT_BUDGET, refusal(r));
                    refused.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertEquals(10, drawn.get(), "the new day's budget holds exactly ten draws of 100");
        assertEquals(threads - 10, refused.get());
        Envelope after = envelopes.find(e.id()).orElseThrow();
        assertEquals(1000, after.spent());
        List<JournalEntry> journal = Ledgers.audit(envelopes, e.id());
        assertEquals(1, entries(journal, JournalEntry.Type.ROLL), "rolled exactly once");
    }

    @Test
    void softLimitNoticesFireOncePerPeriodAndRefundsStayInTheirPeriod() {
        MovableClock clock = clockAt("2030-05-20T10:00:00Z");
        Envelope e = open(envelopes, Ledgers.spec(1000).withRecurrence(Recurrence.WEEKLY));
        Bytes32 key = Ledgers.randomId();
        captured(envelopes.capture(reserved(envelopes.reserve(e.id(), 850, key, TTL,
                DrawContext.NONE)), 850));
        draw(e.id(), 50);
        assertEquals(List.of(80, 90), thresholds(e.id()), "80 then 90, each once");
        // Refunds reduce this period's spend; a refund never un-notices a threshold.
        assertTrue(envelopes.refund(e.id(), key, Ledgers.randomId(), 100)
                instanceof RefundResult.Refunded);
        assertEquals(800, envelopes.find(e.id()).orElseThrow().spent());
        draw(e.id(), 100);
        assertEquals(List.of(80, 90), thresholds(e.id()));

        clock.advance(Duration.ofDays(7));
        draw(e.id(), 810);
        List<Notice> all = notices.of(e.id());
        assertEquals(List.of(80, 90, 80), thresholds(e.id()), "the next week notices anew");
        assertEquals(Instant.parse("2030-05-20T00:00:00Z"), all.get(0).periodStart(),
                "weeks start on Monday, UTC");
        assertEquals(Instant.parse("2030-05-27T00:00:00Z"), all.get(2).periodStart());
        assertEquals(Refusal.REFUND_PERIOD_CLOSED, refusal(envelopes.refund(e.id(), key,
                Ledgers.randomId(), 10)), "last week's draw is not refunded into this week");
        Ledgers.audit(envelopes, e.id());
    }

    private List<Integer> thresholds(Bytes32 id) {
        return notices.of(id).stream().map(Notice::threshold).toList();
    }
}
