package dev.purser.boot;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code PURSER_REGISTRATION_RATE} per client address on the two endpoints anyone may call
 * without a token and that cost a signature check or a database read each: mandate registration
 * ({@code POST /api/a2a/mandates}) and quotes ({@code GET /api/a2a/mandates/{id}/quote}), each
 * with its own allowance. Over it: 429 with {@code Retry-After} and the DESIGN §8 body
 * ({@code rate_limited}).
 *
 * <p>The client address is the TCP peer: {@code X-Forwarded-For} is not read (Quarkus's
 * proxy-address forwarding is off), so behind a proxy every client shares the proxy's
 * allowance. The buckets live in this instance's memory: an anti-abuse limit, not a guarantee
 * (n instances admit up to n times the rate), and nothing that guards money depends on it.
 * A GCRA token bucket: per address one time (when the bucket is next full), no timer.
 */
@ApplicationScoped
class ClientRateLimit {

    private static final Pattern RATE = Pattern.compile("([0-9]{1,9})\\s*/\\s*(s|sec|min|h|hour)");
    /** Past this many tracked addresses, those whose bucket has refilled are forgotten. */
    private static final int MAX_TRACKED = 100_000;

    private final long intervalNanos;
    private final long burstNanos;
    private final LongSupplier clock;
    private final ConcurrentMap<String, Long> full = new ConcurrentHashMap<>();

    @Inject
    ClientRateLimit(RateLimitConfig config) {
        this(config.registrationRate(), System::nanoTime);
    }

    ClientRateLimit(String rate, LongSupplier clock) {
        this.clock = clock;
        String text = rate.trim().toLowerCase(Locale.ROOT);
        if (text.equals("0") || text.equals("off")) {
            intervalNanos = 0;
            burstNanos = 0;
            return;
        }
        Matcher m = RATE.matcher(text);
        long permits = m.matches() ? Long.parseLong(m.group(1)) : 0;
        if (permits == 0) {
            throw new IllegalArgumentException("PURSER_REGISTRATION_RATE must be <n>/s, <n>/min, "
                    + "<n>/h or 0, not " + rate);
        }
        Duration per = switch (m.group(2)) {
            case "s", "sec" -> Duration.ofSeconds(1);
            case "min" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        intervalNanos = Math.max(1, per.toNanos() / permits);
        burstNanos = intervalNanos * permits;
    }

    void install(@Observes Router router) {
        if (intervalNanos == 0) {
            return;
        }
        // After HttpLimits (-10), before Quarkus's own handlers and the resources.
        router.route(HttpMethod.POST, "/api/a2a/mandates").order(-5)
                .handler(ctx -> check(ctx, "register"));
        router.routeWithRegex(HttpMethod.GET, "/api/a2a/mandates/[^/]+/quote").order(-5)
                .handler(ctx -> check(ctx, "quote"));
    }

    private void check(RoutingContext ctx, String endpoint) {
        SocketAddress peer = ctx.request().remoteAddress();
        String client = peer == null ? "unknown" : peer.hostAddress();
        long waitNanos = take(endpoint + " " + client);
        if (waitNanos == 0) {
            ctx.next();
            return;
        }
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        HttpLimits.drain(ctx.request());
        ctx.response().setStatusCode(429).putHeader("Content-Type", "application/json")
                .putHeader("Retry-After", Long.toString(seconds))
                .end(HttpErrors.body("rate_limited", "too many requests from " + client
                        + " to this endpoint; retry in " + seconds + " s", null));
    }

    /** Takes one request from {@code key}'s bucket: 0 when admitted, else the wait in ns. */
    long take(String key) {
        long now = clock.getAsLong();
        long[] wait = {0};
        full.compute(key, (k, fullAt) -> {
            long start = fullAt == null || fullAt - now < 0 ? now : fullAt;
            long next = start + intervalNanos;
            if (next - now > burstNanos) {
                wait[0] = next - now - burstNanos;
                return fullAt;
            }
            return next;
        });
        if (full.size() > MAX_TRACKED) {
            full.values().removeIf(fullAt -> fullAt - now < 0);
        }
        return wait[0];
    }
}
