package dev.purser.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelOfferTest {

    private static ModelOffer offer(String upstream, long input, long output, Fee fee) {
        return new ModelOffer(ModelOffer.idOf(upstream, "m"), upstream, "m", "https://" + upstream + "/v1",
                Map.of("Authorization", "Bearer sk-secret"), input, output, fee, 4096, Optional.empty());
    }

    @Test
    void aCallCostsItsTokensRoundedUpToAWholeAtomicUnit() {
        ModelOffer o = offer("u", 1, 1, Fee.NONE);
        assertEquals(1, o.cost(1, 0), "a millionth of a unit is a whole unit");
        assertEquals(1, o.cost(0, 1));
        assertEquals(1, o.cost(1_000_000, 0));
        assertEquals(2, o.cost(1_000_001, 0));
        assertEquals(0, o.cost(0, 0));
        ModelOffer gpt = offer("u", 150_000, 600_000, Fee.NONE);
        // 1234 * 0.15 + 567 * 0.6 = 185.1 + 340.2 = 525.3 -> 526
        assertEquals(526, gpt.cost(1234, 567));
        assertEquals(526, gpt.upstreamCost(1234, 567));
    }

    @Test
    void theFeeIsOnTheRoundedUpstreamCostAndZeroTokensCostTheFixedFeeOnly() {
        ModelOffer fixed = offer("u", 150_000, 600_000, Fee.amount(7));
        assertEquals(7, fixed.cost(0, 0));
        assertEquals(0, fixed.upstreamCost(0, 0));
        assertEquals(533, fixed.cost(1234, 567));
        ModelOffer bps = offer("u", 150_000, 600_000, Fee.bps(250));
        assertEquals(0, bps.cost(0, 0));
        // 526 * 2.5 % = 13.15 -> 14
        assertEquals(540, bps.cost(1234, 567));
        assertEquals(526, bps.upstreamCost(1234, 567));
        assertEquals(2, offer("u", 1, 0, Fee.bps(1)).cost(1, 0), "any bps fee on 1 unit rounds to 1");
    }

    @Test
    void aCostPastALongThrowsInsteadOfWrapping() {
        ModelOffer dear = offer("u", Long.MAX_VALUE, Long.MAX_VALUE, Fee.NONE);
        assertEquals(Long.MAX_VALUE / 1_000_000 + 1, dear.cost(1, 0));
        assertThrows(ArithmeticException.class, () -> dear.cost(Long.MAX_VALUE, 0));
        assertThrows(ArithmeticException.class, () -> dear.cost(2_000_000, 0));
        assertThrows(ArithmeticException.class, () -> offer("u", Long.MAX_VALUE, 0, Fee.amount(1))
                .cost(1_000_000, 0));
        assertThrows(ArithmeticException.class, () -> offer("u", Long.MAX_VALUE, 0, Fee.bps(1))
                .cost(1_000_000, 0));
        assertThrows(IllegalArgumentException.class, () -> dear.cost(-1, 0));
        // a product past a long whose result fits is still exact
        assertEquals(10_000_000_000_000L, offer("u", 1_000_000_000_000L, 0, Fee.NONE).cost(10_000_000, 0));
    }

    @Test
    void theNominalPriceIsAMillionTokensEachWayWithTheFee() {
        assertEquals(750_000 + 18_750, offer("u", 150_000, 600_000, Fee.bps(250)).price());
        assertEquals("u", offer("u", 1, 1, Fee.NONE).providerId());
    }

    @Test
    void itsTextNeverShowsTheHeaders() {
        String text = offer("u", 1, 1, Fee.NONE).toString();
        assertFalse(text.contains("sk-secret"), text);
        assertTrue(text.contains("model:u:m"), text);
    }

    @Test
    void costRoutingPutsTheCheaperUpstreamFirst() {
        ModelOffer dear = offer("dear", 300, 900, Fee.NONE);
        ModelOffer cheap = offer("cheap", 100, 900, Fee.bps(1000)); // 1000 + 100 fee < 1200
        List<String> order = RouteOrder.order(List.of(dear, cheap), Map.of(), RouteMode.COST,
                Optional.empty(), Instant.now(), 3).stream().map(r -> r.offer().upstreamId()).toList();
        assertEquals(List.of("cheap", "dear"), order);
    }
}
