package dev.purser.market;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordering rule of {@link Router}, free of I/O: which offers may be tried, and in what order.
 *
 * <ul>
 * <li>A pinned provider keeps only its offers.
 * <li>An offer whose breaker is open ({@code k} failures in a row) is left out until its cool-off
 *     has passed; then it is kept as a probe ({@link Ranked#probe}), which the caller must claim.
 * <li>{@code cost}: price, then p50, then success rate. {@code speed}: p50, then price.
 *     {@code quality}: success rate, then price. {@code balanced}: the sum of the offer's places in
 *     those three orders, then price. Offers with no measurement yet come after measured ones in
 *     the latency and success orders. Ties end on the offer id, so the order is stable.
 * </ul>
 */
final class RouteOrder {

    private RouteOrder() {
    }

    /** An offer in its place, with its health; {@code probe} when its breaker is half-open. */
    record Ranked<T extends Routable>(T offer, OfferHealth health, boolean probe) {
    }

    static <T extends Routable> List<Ranked<T>> order(List<T> offers, Map<String, OfferHealth> health,
            RouteMode mode, Optional<String> pinnedProvider, Instant now, int breakerFailures) {
        List<Ranked<T>> kept = new ArrayList<>();
        for (T o : offers) {
            if (pinnedProvider.isPresent() && !pinnedProvider.get().equals(o.providerId())) {
                continue;
            }
            OfferHealth h = health.getOrDefault(o.offerId(), OfferHealth.UNTRIED);
            if (h.failures() < breakerFailures) {
                kept.add(new Ranked<>(o, h, false));
            } else if (h.halfOpen(breakerFailures, now)) {
                kept.add(new Ranked<>(o, h, true));
            }
        }
        Comparator<Ranked<T>> byPrice = Comparator.comparingLong(r -> r.offer().price());
        Comparator<Ranked<T>> byLatency = Comparator.comparingLong(
                r -> r.health().p50Ms().orElse(Long.MAX_VALUE));
        Comparator<Ranked<T>> bySuccess = Comparator.comparingDouble(
                r -> -r.health().successRate().orElse(-1.0));
        Comparator<Ranked<T>> byId = Comparator.comparing(r -> r.offer().offerId());
        Comparator<Ranked<T>> order = switch (mode) {
            case COST -> byPrice.thenComparing(byLatency).thenComparing(bySuccess);
            case SPEED -> byLatency.thenComparing(byPrice);
            case QUALITY -> bySuccess.thenComparing(byPrice);
            case BALANCED -> balanced(kept, byPrice, byLatency, bySuccess).thenComparing(byPrice);
        };
        kept.sort(order.thenComparing(byId));
        return kept;
    }

    /** Sum of places in the three orders (equal values share a place). */
    private static <T extends Routable> Comparator<Ranked<T>> balanced(List<Ranked<T>> kept,
            Comparator<Ranked<T>> byPrice, Comparator<Ranked<T>> byLatency,
            Comparator<Ranked<T>> bySuccess) {
        Map<String, Integer> score = new HashMap<>();
        for (Comparator<Ranked<T>> c : List.of(byPrice, byLatency, bySuccess)) {
            List<Ranked<T>> sorted = new ArrayList<>(kept);
            sorted.sort(c);
            int place = 0;
            for (int i = 0; i < sorted.size(); i++) {
                if (i > 0 && c.compare(sorted.get(i - 1), sorted.get(i)) != 0) {
                    place = i;
                }
                score.merge(sorted.get(i).offer().offerId(), place, Integer::sum);
            }
        }
        return Comparator.comparingInt(r -> score.get(r.offer().offerId()));
    }
}
