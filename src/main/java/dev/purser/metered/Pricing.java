package dev.purser.metered;

import dev.purser.market.ModelOffer;
import java.util.List;

/**
 * A call's worst case at its first routed offer (DESIGN §11): the output bound, what is reserved,
 * and the offers a failover may go to — only those whose own worst case fits the reservation.
 *
 * @param reserve the amount to hold; -1 when the worst case does not fit in a long
 */
record Pricing(long outputBound, long reserve, List<ModelOffer> offers) {

    static Pricing of(ChatRequest request, List<ModelOffer> routed) {
        ModelOffer first = routed.get(0);
        long out;
        long reserve;
        try {
            out = request.outputBound(first.maxOutput());
            reserve = first.cost(request.inputBound(), out);
        } catch (ArithmeticException e) {
            return new Pricing(Long.MAX_VALUE, -1, List.of());
        }
        List<ModelOffer> fitting = routed.stream()
                .filter(o -> worstCase(o, request, out) <= reserve).toList();
        return new Pricing(out, reserve, fitting);
    }

    /** The output tokens the upstream of {@code offer} is asked for at most, per choice. */
    static long perChoice(ModelOffer offer, ChatRequest request, long outputBound) {
        long perChoice = request.perChoice(outputBound);
        // a caller's own limit is kept as asked; the default follows each upstream's maxOutput
        return request.perChoiceLimit().isPresent() ? perChoice
                : Math.min(perChoice, offer.maxOutput());
    }

    /**
     * The largest {@code max_tokens} (per choice) whose worst case at the first offer fits in
     * {@code available}; -1 when not even the input does.
     */
    long affordable(ChatRequest request, long available) {
        ModelOffer first = offers.isEmpty() ? null : offers.get(0);
        if (first == null || cost(first, request.inputBound(), 0) > available) {
            return -1;
        }
        long lo = 0;
        long hi = Math.max(0, request.perChoice(outputBound));
        while (lo < hi) { // the cost only grows with the tokens: bisect
            long mid = lo + (hi - lo + 1) / 2;
            if (cost(first, request.inputBound(), mid * request.choices()) <= available) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static long worstCase(ModelOffer offer, ChatRequest request, long outputBound) {
        return cost(offer, request.inputBound(),
                perChoice(offer, request, outputBound) * request.choices());
    }

    private static long cost(ModelOffer offer, long in, long out) {
        try {
            return offer.cost(in, out);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
