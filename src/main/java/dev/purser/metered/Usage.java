package dev.purser.metered;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.market.ModelOffer;
import java.util.Optional;

/** The tokens an upstream says a call used ({@code usage} in OpenAI's wire format). */
record Usage(long promptTokens, long completionTokens) {

    /** The usage in {@code answer} (a completion or a stream chunk); empty when it has none. */
    static Optional<Usage> of(JsonNode answer) {
        JsonNode u = answer == null ? null : answer.get("usage");
        if (u == null || !u.isObject()) {
            return Optional.empty();
        }
        JsonNode p = u.get("prompt_tokens");
        JsonNode c = u.get("completion_tokens");
        if (!count(p) || !count(c)) {
            return Optional.empty(); // an unreadable usage is no usage: the reservation is charged
        }
        return Optional.of(new Usage(p.asLong(), c.asLong()));
    }

    /**
     * What the call costs by this usage at {@code offer}'s prices, never more than
     * {@code reserved} (DESIGN §11: never more than reserved; no usage → the reservation).
     */
    static long charge(Optional<Usage> usage, ModelOffer offer, long reserved) {
        if (usage.isEmpty()) {
            return reserved;
        }
        try {
            return Math.min(reserved, offer.cost(usage.get().promptTokens(),
                    usage.get().completionTokens()));
        } catch (ArithmeticException e) {
            return reserved;
        }
    }

    private static boolean count(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0;
    }
}
