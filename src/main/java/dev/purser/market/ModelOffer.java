package dev.purser.market;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream's offer of one model (DESIGN §11); routed by {@link Router} like any offer. Prices
 * are atomic units per million tokens; a call costs {@code ceil((in * input + out * output) / 1e6)}
 * for the upstream, plus the {@link Fee} on that, rounded up to whole atomic units per call.
 *
 * @param offerId {@code model:<upstreamId>:<modelId>}: unique across every kind of offer
 * @param baseUrl the upstream's OpenAI base URL, without a trailing slash
 * @param headers the operator's stored headers for calling the upstream (credentials; never shown)
 * @param maxOutput the output bound of a call that names none: the model's {@code maxOutput}, else
 *     {@code PURSER_MODELS_DEFAULT_MAX_OUTPUT}
 * @param cacheTtl the operator's result-cache TTL for this model; empty = no caching
 */
public record ModelOffer(String offerId, String upstreamId, String modelId, String baseUrl,
        Map<String, String> headers, long inputPerMillion, long outputPerMillion, Fee fee,
        long maxOutput, Optional<Duration> cacheTtl) implements Routable {

    /** Tokens per priced unit. */
    public static final long MILLION = 1_000_000;
    private static final BigInteger PER = BigInteger.valueOf(MILLION);
    private static final BigInteger ROUND_UP = BigInteger.valueOf(MILLION - 1);

    public ModelOffer {
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(upstreamId, "upstreamId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(baseUrl, "baseUrl");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(fee, "fee");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (inputPerMillion < 0 || outputPerMillion < 0 || maxOutput < 1) {
            throw new IllegalArgumentException("prices are not negative and maxOutput is positive");
        }
    }

    /** The offer id of a model of an upstream. */
    static String idOf(String upstreamId, String modelId) {
        return "model:" + upstreamId + ":" + modelId;
    }

    /** The upstream: what a pin names and what the breaker statistics group by. */
    @Override
    public String providerId() {
        return upstreamId;
    }

    /**
     * A nominal per-call figure, used only to order offers by cost and to filter and sort the
     * listing: what a million input plus a million output tokens cost the caller, fee included
     * ({@code inputPerMillion + outputPerMillion + fee} on that). Registration refuses prices for
     * which it does not fit a long.
     */
    @Override
    public long price() {
        try {
            return cost(MILLION, MILLION);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // not reached for a registered offer
        }
    }

    /**
     * What a call with these token counts costs the caller: {@link #upstreamCost} plus the fee on
     * it.
     *
     * @throws ArithmeticException when it does not fit a long
     * @throws IllegalArgumentException for a negative token count
     */
    public long cost(long inputTokens, long outputTokens) {
        long upstream = upstreamCost(inputTokens, outputTokens);
        return Math.addExact(upstream, fee.on(upstream));
    }

    /**
     * What Purser pays the upstream for such a call: {@code ceil((in * input + out * output) /
     * 1e6)}, exact.
     *
     * @throws ArithmeticException when it does not fit a long
     * @throws IllegalArgumentException for a negative token count
     */
    public long upstreamCost(long inputTokens, long outputTokens) {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts are not negative");
        }
        return BigInteger.valueOf(inputTokens).multiply(BigInteger.valueOf(inputPerMillion))
                .add(BigInteger.valueOf(outputTokens).multiply(BigInteger.valueOf(outputPerMillion)))
                .add(ROUND_UP).divide(PER).longValueExact();
    }

    @Override
    public String toString() { // never the headers: they hold credentials
        return "ModelOffer[" + offerId + ", in " + inputPerMillion + ", out " + outputPerMillion
                + " per 1M, fee " + fee + ", maxOutput " + maxOutput + "]";
    }
}
