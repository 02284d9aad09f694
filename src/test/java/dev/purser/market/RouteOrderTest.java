package dev.purser.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RouteOrderTest {

    private static final int K = 3;
    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

    private record Offer(String offerId, String providerId, long price) implements Routable {
    }

    private static final Offer CHEAP_SLOW = new Offer("a:s", "a", 100);
    private static final Offer MID_FAST = new Offer("b:s", "b", 200);
    private static final Offer DEAR_RELIABLE = new Offer("c:s", "c", 300);
    private static final List<Offer> ALL = List.of(DEAR_RELIABLE, MID_FAST, CHEAP_SLOW);

    private static OfferHealth measured(int attempts, int completed, long p50) {
        return new OfferHealth(attempts, completed, OptionalLong.of(p50), 0, Optional.empty());
    }

    private static Map<String, OfferHealth> health() {
        Map<String, OfferHealth> h = new HashMap<>();
        h.put(CHEAP_SLOW.offerId(), measured(10, 7, 900));
        h.put(MID_FAST.offerId(), measured(10, 8, 50));
        h.put(DEAR_RELIABLE.offerId(), measured(10, 10, 400));
        return h;
    }

    private static List<String> order(Map<String, OfferHealth> h, RouteMode mode,
            Optional<String> pin) {
        return RouteOrder.order(ALL, h, mode, pin, NOW, K).stream().map(r -> r.offer().offerId())
                .toList();
    }

    @Test
    void eachModeOrdersByItsMeasureAndFailsOverThroughTheRest() {
        assertEquals(List.of("a:s", "b:s", "c:s"), order(health(), RouteMode.COST, Optional.empty()));
        assertEquals(List.of("b:s", "c:s", "a:s"), order(health(), RouteMode.SPEED, Optional.empty()));
        assertEquals(List.of("c:s", "b:s", "a:s"), order(health(), RouteMode.QUALITY, Optional.empty()));
        // places (price, latency, success): a 0+2+2=4, b 1+0+1=2, c 2+1+0=3
        assertEquals(List.of("b:s", "c:s", "a:s"), order(health(), RouteMode.BALANCED, Optional.empty()));
    }

    @Test
    void unmeasuredOffersComeAfterMeasuredOnesAndTiesBreakOnPriceThenId() {
        Map<String, OfferHealth> h = new HashMap<>();
        h.put(DEAR_RELIABLE.offerId(), measured(1, 1, 400));
        assertEquals(List.of("c:s", "a:s", "b:s"), order(h, RouteMode.SPEED, Optional.empty()));
        assertEquals(List.of("c:s", "a:s", "b:s"), order(h, RouteMode.QUALITY, Optional.empty()));
        Offer twin = new Offer("a2:s", "a2", 100); // same price: the id decides
        for (List<Offer> input : List.of(List.of(twin, CHEAP_SLOW), List.of(CHEAP_SLOW, twin))) {
            assertEquals(List.of("a2:s", "a:s"), RouteOrder.order(input, Map.of(), RouteMode.COST,
                    Optional.empty(), NOW, K).stream().map(r -> r.offer().offerId()).toList());
        }
    }

    @Test
    void aPinnedProviderKeepsOnlyItsOffers() {
        assertEquals(List.of("c:s"), order(health(), RouteMode.COST, Optional.of("c")));
        assertEquals(List.of(), order(health(), RouteMode.COST, Optional.of("nobody")));
    }

    @Test
    void anOpenBreakerSkipsTheOfferUntilItsCoolOffHasPassedThenOffersOneProbe() {
        Map<String, OfferHealth> h = health();
        h.put(CHEAP_SLOW.offerId(), new OfferHealth(10, 7, OptionalLong.of(900), K,
                Optional.of(NOW.plusSeconds(30))));
        assertEquals(List.of("b:s", "c:s"), order(h, RouteMode.COST, Optional.empty()));

        h.put(CHEAP_SLOW.offerId(), new OfferHealth(10, 7, OptionalLong.of(900), K + 2,
                Optional.of(NOW.minusSeconds(1))));
        List<RouteOrder.Ranked<Offer>> ranked = RouteOrder.order(ALL, h, RouteMode.COST,
                Optional.empty(), NOW, K);
        assertEquals("a:s", ranked.get(0).offer().offerId());
        assertTrue(ranked.get(0).probe(), "half-open: the caller must claim the probe");
        assertFalse(ranked.get(1).probe());
    }

    @Test
    void failuresBelowTheThresholdOnlyDegradeAnOffer() {
        Map<String, OfferHealth> h = health();
        OfferHealth twoFailures = new OfferHealth(10, 10, OptionalLong.of(1), K - 1, Optional.empty());
        h.put(CHEAP_SLOW.offerId(), twoFailures);
        assertEquals(List.of("a:s", "b:s", "c:s"), order(h, RouteMode.COST, Optional.empty()));
        assertEquals(OfferHealth.Status.DEGRADED, twoFailures.status(K));
        assertEquals(OfferHealth.Status.DOWN, new OfferHealth(0, 0, OptionalLong.empty(), K,
                Optional.of(NOW)).status(K));
        assertEquals(OfferHealth.Status.OK, OfferHealth.UNTRIED.status(K));
        assertEquals(OfferHealth.Status.OK, measured(10, 9, 5).status(K));
        assertEquals(OfferHealth.Status.DEGRADED, measured(10, 8, 5).status(K));
    }
}
