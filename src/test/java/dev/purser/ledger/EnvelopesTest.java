package dev.purser.ledger;

import static dev.purser.ledger.Ledgers.captured;
import static dev.purser.ledger.Ledgers.open;
import static dev.purser.ledger.Ledgers.refusal;
import static dev.purser.ledger.Ledgers.reserved;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.EnvelopeSpec.Limits;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EnvelopesTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    @Inject
    Envelopes envelopes;

    private Reservation reserve(Envelope e, long amount) {
        return reserved(envelopes.reserve(e.id(), amount, Ledgers.randomId(), TTL,
                DrawContext.NONE));
    }

    @Test
    void openIsIdempotentAndRefusesOtherTermsUnderTheSameId() {
        EnvelopeSpec spec = Ledgers.spec(1000);
        assertTrue(((OpenResult.Opened) envelopes.open(spec)).created());
        OpenResult again = envelopes.open(spec);
        assertFalse(((OpenResult.Opened) again).created());
        EnvelopeSpec other = new EnvelopeSpec(spec.id(), spec.principal(), spec.agent(),
                spec.asset(), spec.network(), 2000, 0, List.of(), null, null, null, null, null);
        assertEquals(Refusal.CONFLICTING_ENVELOPE, refusal(envelopes.open(other)));
        Envelope e = envelopes.find(spec.id()).orElseThrow();
        assertEquals("active", e.toJson().get("status").asText());
        assertEquals("1000", e.toJson().get("remaining").asText());
        Ledgers.audit(envelopes, spec.id());
    }

    @Test
    void reserveRefusesWhenBudgetWouldBeExceeded() {
        Envelope e = open(envelopes, Ledgers.spec(1000));
        reserve(e, 600);
        assertEquals(Refusal.INSUFFICIENT_BUDGET, refusal(envelopes.reserve(e.id(), 401,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        reserve(e, 400);
        Envelope full = envelopes.find(e.id()).orElseThrow();
        assertEquals(1000, full.reserved());
        assertEquals(0, full.remaining());
        Ledgers.audit(envelopes, e.id());
    }

    @Test
    void captureTakesAtMostTheReservedAmountAndReturnsTheRest() {
        Envelope e = open(envelopes, Ledgers.spec(1000));
        Reservation r = reserve(e, 500);
        assertEquals(Refusal.CAPTURE_EXCEEDS_RESERVATION, refusal(envelopes.capture(r, 501)));
        Receipt receipt = captured(envelopes.capture(r, 320));
        assertEquals(320, receipt.amount());
        Envelope after = envelopes.find(e.id()).orElseThrow();
        assertEquals(320, after.spent());
        assertEquals(0, after.reserved());
        assertEquals(680, after.remaining());
        // The same capture again answers the same receipt; another amount is refused.
        assertEquals(receipt, captured(envelopes.capture(r, 320)));
        assertEquals(Refusal.RESERVATION_CAPTURED, refusal(envelopes.capture(r, 100)));
        assertEquals(Refusal.RESERVATION_CAPTURED, refusal(envelopes.release(r)));
        Ledgers.audit(envelopes, e.id());
    }

    @Test
    void theSameKeyNeverDrawsTwice() {
        Envelope e = open(envelopes, Ledgers.spec(1000));
        Bytes32 key = Ledgers.randomId();
        Reservation r = reserved(envelopes.reserve(e.id(), 100, key, TTL, DrawContext.NONE));
        assertEquals(Refusal.IDEMPOTENCY_KEY_IN_FLIGHT,
                refusal(envelopes.reserve(e.id(), 100, key, TTL, DrawContext.NONE)));
        Receipt receipt = captured(envelopes.capture(r, 100));
        ReserveResult again = envelopes.reserve(e.id(), 100, key, TTL, DrawContext.NONE);
        assertEquals(receipt, ((ReserveResult.AlreadyCaptured) again).receipt());
        assertEquals(Refusal.IDEMPOTENCY_KEY_REUSED,
                refusal(envelopes.reserve(e.id(), 101, key, TTL, DrawContext.NONE)));
        assertEquals(100, envelopes.find(e.id()).orElseThrow().spent());
        Ledgers.audit(envelopes, e.id());
    }

    @Test
    void aReleasedKeyMayBeReservedAgainBecauseItNeverPaid() {
        Envelope e = open(envelopes, Ledgers.spec(1000));
        Bytes32 key = Ledgers.randomId();
        Reservation first = reserved(envelopes.reserve(e.id(), 300, key, TTL, DrawContext.NONE));
        assertTrue(envelopes.release(first) instanceof ReleaseResult.Done);
        assertTrue(envelopes.release(first) instanceof ReleaseResult.Done, "idempotent");
        Reservation second = reserved(envelopes.reserve(e.id(), 300, key, TTL,
                DrawContext.NONE));
        assertEquals(first.id(), second.id());
        captured(envelopes.capture(second, 300));
        // The first handle is the same reservation, now captured: it cannot capture again.
        assertEquals(Refusal.RESERVATION_CAPTURED, refusal(envelopes.capture(first, 1)));
        assertEquals(300, envelopes.find(e.id()).orElseThrow().spent());
        Ledgers.audit(envelopes, e.id());
    }

    @Test
    void expiredReservationsAreSweptButUnknownSettlementsAreLeft() throws Exception {
        Envelope e = open(envelopes, Ledgers.spec(1000));
        Reservation expiring = reserved(envelopes.reserve(e.id(), 100, Ledgers.randomId(),
                Duration.ofMillis(500), DrawContext.NONE));
        Reservation settling = reserved(envelopes.reserve(e.id(), 200, Ledgers.randomId(),
                Duration.ofMillis(500), DrawContext.NONE));
        assertTrue(envelopes.markSettlementUnknown(settling) instanceof ReleaseResult.Done);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (envelopes.find(e.id()).orElseThrow().reserved() != 200
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Envelope after = envelopes.find(e.id()).orElseThrow();
        assertEquals(200, after.reserved(), "only the settling reservation is still held");
        assertEquals(Refusal.RESERVATION_RELEASED, refusal(envelopes.capture(expiring, 100)));
        // Reconciliation found the settlement: the capture still posts.
        captured(envelopes.capture(settling, 200));
        assertEquals(200, envelopes.find(e.id()).orElseThrow().spent());
        Ledgers.audit(envelopes, e.id());
    }

    @Test
    void validityWindowAndRevocationRefuseDraws() {
        Envelope early = open(envelopes, Ledgers.spec(1000).withValidity(
                Instant.now().plusSeconds(3600), null));
        assertEquals(Refusal.NOT_YET_VALID, refusal(envelopes.reserve(early.id(), 1,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        Envelope late = open(envelopes, Ledgers.spec(1000).withValidity(null,
                Instant.now().minusSeconds(1)));
        assertEquals(Refusal.EXPIRED, refusal(envelopes.reserve(late.id(), 1,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        assertEquals("expired", envelopes.find(late.id()).orElseThrow().toJson()
                .get("status").asText());
        Envelope e = open(envelopes, Ledgers.spec(1000));
        Reservation pending = reserve(e, 100);
        envelopes.revoke(e.id(), Instant.now());
        Envelope revoked = envelopes.find(e.id()).orElseThrow();
        assertEquals(Envelope.Status.REVOKED, revoked.status());
        assertEquals(0, revoked.reserved(), "pending draws are released on revocation");
        assertEquals(Refusal.REVOKED, refusal(envelopes.reserve(e.id(), 1, Ledgers.randomId(),
                TTL, DrawContext.NONE)));
        assertEquals(Refusal.RESERVATION_RELEASED, refusal(envelopes.capture(pending, 100)));
        assertEquals(Refusal.UNKNOWN_MANDATE, refusal(envelopes.reserve(Ledgers.randomId(), 1,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        Ledgers.audit(envelopes, e.id());
    }

    @Test
    void aChildIsCarvedOutOfItsParentAndSpendsOnBoth() {
        Envelope parent = open(envelopes, Ledgers.spec(1000));
        EnvelopeSpec childSpec = EnvelopeSpec.root(Ledgers.randomId(), parent.agent(),
                Ledgers.randomAddress(), Ledgers.USDC, Ledgers.NETWORK, 300)
                .withLimits(Limits.NONE).asChildOf(parent.id());
        Envelope child = open(envelopes, childSpec);
        assertEquals(parent.id(), child.parent());
        Envelope p = envelopes.find(parent.id()).orElseThrow();
        assertEquals(300, p.reserved());
        assertEquals(List.of(child.id()), p.children());

        EnvelopeSpec tooBig = EnvelopeSpec.root(Ledgers.randomId(), parent.agent(),
                Ledgers.randomAddress(), Ledgers.USDC, Ledgers.NETWORK, 701)
                .withLimits(Limits.NONE).asChildOf(parent.id());
        assertEquals(Refusal.BUDGET_EXCEEDS_PARENT, refusal(envelopes.open(tooBig)));
        EnvelopeSpec otherAsset = EnvelopeSpec.root(Ledgers.randomId(), parent.agent(),
                Ledgers.randomAddress(), Ledgers.randomAddress(), Ledgers.NETWORK, 10)
                .withLimits(Limits.NONE).asChildOf(parent.id());
        assertEquals(Refusal.SCOPE_WIDENS_PARENT, refusal(envelopes.open(otherAsset)));

        captured(envelopes.capture(reserve(child, 120), 100));
        p = envelopes.find(parent.id()).orElseThrow();
        assertEquals(100, p.spent());
        assertEquals(200, p.reserved());
        assertEquals(Refusal.INSUFFICIENT_BUDGET, refusal(envelopes.reserve(child.id(), 201,
                Ledgers.randomId(), TTL, DrawContext.NONE)));

        // Revoking the parent revokes the child and returns its unspent 200 to the parent.
        envelopes.revoke(parent.id(), Instant.now());
        Envelope c = envelopes.find(child.id()).orElseThrow();
        p = envelopes.find(parent.id()).orElseThrow();
        assertEquals(Envelope.Status.REVOKED, c.status());
        assertEquals(0, p.reserved());
        assertEquals(100, p.spent());
        assertEquals(900, p.remaining());
        Ledgers.audit(envelopes, parent.id());
        Ledgers.audit(envelopes, child.id());
    }

    @Test
    void aOnePhaseDrawSpendsAtOnceUnderTheSameKeysGuardsAndBudget() {
        Envelope e = open(envelopes, Ledgers.spec(1000).withPerTaskMax(500)
                .withLimits(new Limits(0, 3, 1, 0)));
        Reservation pending = reserve(e, 100);
        // The concurrency cap is checked, though a one-phase draw holds nothing in flight.
        assertEquals(Refusal.TOO_MANY_CONCURRENT, refusal(envelopes.draw(e.id(), 10,
                Ledgers.randomId(), DrawContext.NONE)));
        captured(envelopes.capture(pending, 100));
        Bytes32 key = Ledgers.randomId();
        Receipt receipt = captured(envelopes.draw(e.id(), 300, key, DrawContext.direct("m")));
        assertEquals(300, receipt.amount());
        assertEquals(receipt, captured(envelopes.draw(e.id(), 300, key, DrawContext.NONE)));
        assertEquals(receipt, ((ReserveResult.AlreadyCaptured) envelopes.reserve(e.id(), 300,
                key, TTL, DrawContext.NONE)).receipt());
        assertEquals(Refusal.IDEMPOTENCY_KEY_REUSED, refusal(envelopes.draw(e.id(), 301, key,
                DrawContext.NONE)));
        assertEquals(Refusal.REQUEST_TOO_EXPENSIVE, refusal(envelopes.draw(e.id(), 501,
                Ledgers.randomId(), DrawContext.NONE)));
        Envelope after = envelopes.find(e.id()).orElseThrow();
        assertEquals(400, after.spent());
        assertEquals(0, after.reserved());
        captured(envelopes.draw(e.id(), 500, Ledgers.randomId(), DrawContext.NONE));
        // Three admitted this minute already: a reservation and two draws.
        assertEquals(Refusal.RATE_LIMITED, refusal(envelopes.draw(e.id(), 1,
                Ledgers.randomId(), DrawContext.NONE)));
        assertTrue(receipt.verify(envelopes.chainId(), envelopes.receiptSigner()));
        List<JournalEntry> journal = Ledgers.audit(envelopes, e.id());
        JournalEntry last = journal.get(journal.size() - 1);
        assertEquals(JournalEntry.Type.CAPTURE, last.type());
        assertEquals(JournalEntry.Account.AVAILABLE, last.debit());

        Envelope small = open(envelopes, Ledgers.spec(250));
        captured(envelopes.draw(small.id(), 200, Ledgers.randomId(), DrawContext.NONE));
        assertEquals(Refusal.INSUFFICIENT_BUDGET, refusal(envelopes.draw(small.id(), 51,
                Ledgers.randomId(), DrawContext.NONE)));
        assertEquals(Refusal.UNKNOWN_MANDATE, refusal(envelopes.draw(Ledgers.randomId(), 1,
                Ledgers.randomId(), DrawContext.NONE)));
        Ledgers.audit(envelopes, small.id());
    }

    @Test
    void aOnePhaseDrawOnAChildSpendsOnItsParentToo() {
        Envelope parent = open(envelopes, Ledgers.spec(1000));
        Envelope child = open(envelopes, EnvelopeSpec.root(Ledgers.randomId(), parent.agent(),
                Ledgers.randomAddress(), Ledgers.USDC, Ledgers.NETWORK, 300)
                .withLimits(Limits.NONE).asChildOf(parent.id()));
        captured(envelopes.draw(child.id(), 120, Ledgers.randomId(), DrawContext.NONE));
        Envelope p = envelopes.find(parent.id()).orElseThrow();
        assertEquals(120, p.spent());
        assertEquals(180, p.reserved());
        assertEquals(120, envelopes.find(child.id()).orElseThrow().spent());
        assertEquals(Refusal.INSUFFICIENT_BUDGET, refusal(envelopes.draw(child.id(), 181,
                Ledgers.randomId(), DrawContext.NONE)));
        Ledgers.audit(envelopes, parent.id());
        Ledgers.audit(envelopes, child.id());
    }

    @Test
    void perRequestAndDailyCapsAreEnforced() {
        Envelope e = open(envelopes, Ledgers.spec(10_000).withPerTaskMax(500)
                .withLimits(new Limits(800, 0, 0, 0)));
        assertEquals(Refusal.REQUEST_TOO_EXPENSIVE, refusal(envelopes.reserve(e.id(), 501,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        Reservation a = reserve(e, 500);
        assertEquals(Refusal.DAILY_LIMIT_EXCEEDED, refusal(envelopes.reserve(e.id(), 301,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        // What a release returns counts for the day again.
        envelopes.release(a);
        captured(envelopes.capture(reserve(e, 500), 500));
        captured(envelopes.capture(reserve(e, 300), 300));
        assertEquals(Refusal.DAILY_LIMIT_EXCEEDED, refusal(envelopes.reserve(e.id(), 1,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        Ledgers.audit(envelopes, e.id());
    }

    @Test
    void rateLimitCountsReservationsPerAgentPerMinute() {
        EnvelopeSpec spec = Ledgers.spec(10_000).withLimits(new Limits(0, 3, 0, 0));
        Envelope e = open(envelopes, spec);
        for (int i = 0; i < 3; i++) {
            captured(envelopes.capture(reserve(e, 10), 10));
        }
        ReserveResult fourth = envelopes.reserve(e.id(), 10, Ledgers.randomId(), TTL,
                DrawContext.NONE);
        assertEquals(Refusal.RATE_LIMITED, refusal(fourth));
        assertTrue(((Refused) fourth).retryAfterSeconds() >= 1);
    }

    @Test
    void concurrencyCapCountsPendingReservationsOfTheAgent() {
        Envelope e = open(envelopes, Ledgers.spec(10_000).withLimits(new Limits(0, 0, 2, 0)));
        Reservation a = reserve(e, 10);
        reserve(e, 10);
        assertEquals(Refusal.TOO_MANY_CONCURRENT, refusal(envelopes.reserve(e.id(), 10,
                Ledgers.randomId(), TTL, DrawContext.NONE)));
        captured(envelopes.capture(a, 10));
        reserve(e, 10);
    }

    @Test
    void loopDetectionRefusesTheSameRequestRepeated() {
        Envelope e = open(envelopes, Ledgers.spec(10_000).withLimits(new Limits(0, 0, 0, 2)));
        DrawContext same = DrawContext.direct("again");
        for (int i = 0; i < 2; i++) {
            reserved(envelopes.reserve(e.id(), 10, Ledgers.randomId(), TTL, same));
        }
        assertEquals(Refusal.LOOP_DETECTED, refusal(envelopes.reserve(e.id(), 10,
                Ledgers.randomId(), TTL, same)));
        reserved(envelopes.reserve(e.id(), 10, Ledgers.randomId(), TTL,
                DrawContext.direct("something else")));
    }

    @Test
    void receiptsVerifyWithThePublishedSignerAndNotWhenTampered() {
        Envelope e = open(envelopes, Ledgers.spec(1000));
        Receipt receipt = captured(envelopes.capture(reserve(e, 250), 250));
        Address signer = envelopes.receiptSigner();
        assertEquals(signer, receipt.signer());
        assertTrue(receipt.verify(envelopes.chainId(), signer));
        Receipt tampered = new Receipt(receipt.mandateId(), 251, receipt.idempotencyKey(),
                receipt.entryHash(), receipt.issuedAt(), receipt.signer(), receipt.signature());
        assertFalse(tampered.verify(envelopes.chainId(), signer));
        assertFalse(receipt.verify(1, signer), "bound to the chain id");
        assertFalse(receipt.verify(envelopes.chainId(), Ledgers.randomAddress()));
    }

    @Test
    void quoteReservesNothingAndReportGroupsCapturedSpend() {
        Envelope e = open(envelopes, Ledgers.spec(1000));
        Quote fits = envelopes.quote(e.id(), 1000).orElseThrow();
        assertTrue(fits.admissible());
        assertEquals(Refusal.INSUFFICIENT_BUDGET,
                envelopes.quote(e.id(), 1001).orElseThrow().refusal());
        assertEquals(0, envelopes.find(e.id()).orElseThrow().reserved());
        captured(envelopes.capture(reserved(envelopes.reserve(e.id(), 100, Ledgers.randomId(),
                TTL, new DrawContext("echo-paid", "local", null, "t1"))), 100));
        captured(envelopes.capture(reserved(envelopes.reserve(e.id(), 50, Ledgers.randomId(),
                TTL, DrawContext.direct("coffee"))), 50));
        SpendReport report = envelopes.report(e.id()).orElseThrow();
        assertEquals(150, report.spent());
        assertEquals(2, report.draws());
        assertEquals(List.of(new SpendReport.Line("direct", 50, 1),
                new SpendReport.Line("echo-paid", 100, 1)), report.bySkill());
        assertEquals(null, report.terminatedBy());
        assertNotEquals(0, report.byDay().size());
    }

    @Test
    void refundsReverseCapturesPartiallyOncePerKeyAndNeverPastTheCapture() {
        Envelope e = open(envelopes, Ledgers.spec(1000));
        Bytes32 drawKey = Ledgers.randomId();
        captured(envelopes.capture(reserved(envelopes.reserve(e.id(), 500, drawKey, TTL,
                DrawContext.NONE)), 500));
        Bytes32 first = Ledgers.randomId();
        RefundResult refunded = envelopes.refund(e.id(), drawKey, first, 200);
        assertTrue(refunded instanceof RefundResult.Refunded, refunded.toString());
        assertEquals(refunded, envelopes.refund(e.id(), drawKey, first, 200), "idempotent");
        assertEquals(Refusal.IDEMPOTENCY_KEY_REUSED,
                refusal(envelopes.refund(e.id(), drawKey, first, 201)));
        assertEquals(300, envelopes.find(e.id()).orElseThrow().spent());
        assertEquals(Refusal.REFUND_EXCEEDS_CAPTURE,
                refusal(envelopes.refund(e.id(), drawKey, Ledgers.randomId(), 301)));
        assertTrue(envelopes.refund(e.id(), drawKey, Ledgers.randomId(), 300)
                instanceof RefundResult.Refunded);
        assertEquals(0, envelopes.find(e.id()).orElseThrow().spent());
        assertEquals(Refusal.RESERVATION_RELEASED,
                refusal(envelopes.refund(e.id(), Ledgers.randomId(), Ledgers.randomId(), 1)));
        List<JournalEntry> journal = Ledgers.audit(envelopes, e.id());
        assertEquals(2, journal.stream().filter(x -> x.type() == JournalEntry.Type.REFUND)
                .count());
    }

    @Test
    void aRefundOnAChildReturnsToTheParentsCarveOut() {
        Envelope parent = open(envelopes, Ledgers.spec(1000));
        Envelope child = open(envelopes, EnvelopeSpec.root(Ledgers.randomId(), parent.agent(),
                Ledgers.randomAddress(), Ledgers.USDC, Ledgers.NETWORK, 300)
                .withLimits(Limits.NONE).asChildOf(parent.id()));
        Bytes32 key = Ledgers.randomId();
        captured(envelopes.capture(reserved(envelopes.reserve(child.id(), 100, key, TTL,
                DrawContext.NONE)), 100));
        assertTrue(envelopes.refund(child.id(), key, Ledgers.randomId(), 40)
                instanceof RefundResult.Refunded);
        assertEquals(60, envelopes.find(child.id()).orElseThrow().spent());
        Envelope p = envelopes.find(parent.id()).orElseThrow();
        assertEquals(60, p.spent());
        assertEquals(240, p.reserved(), "the refund is the child's to spend again");
        captured(envelopes.capture(reserved(envelopes.reserve(child.id(), 240, Ledgers.randomId(),
                TTL, DrawContext.NONE)), 240));
        assertEquals(300, envelopes.find(parent.id()).orElseThrow().spent());
        Ledgers.audit(envelopes, parent.id());
        Ledgers.audit(envelopes, child.id());
    }

    @Test
    void anExpiredChildReturnsItsRestToItsParent() throws Exception {
        Envelope parent = open(envelopes, Ledgers.spec(1000));
        Envelope child = open(envelopes, EnvelopeSpec.root(Ledgers.randomId(), parent.agent(),
                Ledgers.randomAddress(), Ledgers.USDC, Ledgers.NETWORK, 300)
                .withLimits(Limits.NONE).withValidity(null, Instant.now().plusSeconds(2))
                .asChildOf(parent.id()));
        captured(envelopes.capture(reserve(child, 100), 100));
        assertEquals(200, envelopes.find(parent.id()).orElseThrow().reserved());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // The sweeper returns it once the child has expired.
        while (envelopes.find(parent.id()).orElseThrow().reserved() != 0
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Envelope p = envelopes.find(parent.id()).orElseThrow();
        assertEquals(0, p.reserved(), "the expired child's 200 went back");
        assertEquals(100, p.spent());
        assertEquals(900, p.remaining());
        Envelope c = envelopes.find(child.id()).orElseThrow();
        assertEquals(Envelope.Status.EXPIRED, c.status());
        assertEquals(100, c.budget(), "the child keeps what it spent");
        assertEquals(0, envelopes.returnExpiredChildren(10), "nothing is returned twice");
        Ledgers.audit(envelopes, parent.id());
        Ledgers.audit(envelopes, child.id());
    }
}
