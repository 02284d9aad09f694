package dev.purser.task;

import dev.purser.ledger.ReceiptSigner;
import dev.purser.net.GuardedHttp;
import dev.purser.net.HttpAnswer;
import dev.purser.net.UrlGuard;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * POSTs to webhooks with the push settings, for task pushes ({@link PushDelivery}) and soft-limit
 * notices ({@link LedgerNoticeDelivery}) alike: the SSRF guard checked again before each POST and
 * the POST sent to an address that check approved ({@link GuardedHttp}: no DNS rebinding), no
 * redirects, {@code PURSER_PUSH_TIMEOUT}, and the retry schedule (from {@code PURSER_PUSH_BACKOFF}
 * doubling per attempt, at most 5 minutes, {@code PURSER_PUSH_MAX_ATTEMPTS} in all). Every
 * POST carries {@value #SIGNATURE_HEADER}: a detached JWS over the exact body bytes by the
 * server key ({@link dev.purser.crypto.WebhookJws}), made afresh for each attempt so its
 * {@code iat} is the time of sending.
 */
final class WebhookClient {

    /** The header a webhook's signature travels in. */
    static final String SIGNATURE_HEADER = "X-Purser-Signature";

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /** A request body, made only once the POST is under way; a failure to make it is retried. */
    @FunctionalInterface
    interface Body {
        byte[] bytes() throws IOException;
    }

    private final TaskConfig.Push config;
    private final UrlGuard guard;
    private final GuardedHttp http;
    private final ReceiptSigner signer;

    WebhookClient(TaskConfig.Push config, ReceiptSigner signer) {
        this.config = config;
        this.signer = signer;
        this.guard = new UrlGuard(config.allowPrivate());
        this.http = new GuardedHttp(guard, config.timeout());
    }

    /** How long a claim on a due delivery lasts: long enough that a POST in flight keeps it. */
    Duration claimLease() {
        return config.timeout().multipliedBy(3);
    }

    /** Why {@code url} may not be posted to now, or empty when it may. */
    Optional<String> refusal(String url) {
        return guard.refusalToDeliver(url);
    }

    /**
     * POSTs {@code body} with {@code headers} (in their order) to {@code url}: empty on a 2xx,
     * else what went wrong (the status, or the exception), for the retry's record.
     */
    Optional<String> post(String url, Map<String, String> headers, Body body)
            throws InterruptedException {
        try {
            byte[] bytes = body.bytes();
            Map<String, String> signed = new LinkedHashMap<>(headers);
            signed.put(SIGNATURE_HEADER, signer.signWebhook(bytes));
            try (HttpAnswer r = http.send("POST", URI.create(url), signed, bytes,
                    config.timeout())) {
                return r.status() / 100 == 2 ? Optional.empty()
                        : Optional.of("HTTP " + r.status());
            }
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                // an interrupt closes a virtual thread's socket: stopping, not a failed POST
                throw new InterruptedException("interrupted while posting to " + url);
            }
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** True when a delivery has had all its attempts. */
    boolean exhausted(int attempts) {
        return attempts >= config.maxAttempts();
    }

    /** The wait after the {@code attempts}-th failed attempt. */
    Duration backoff(int attempts) {
        return Duration.ofMillis(Math.min(config.backoff().toMillis() << Math.min(attempts - 1, 20),
                MAX_BACKOFF.toMillis()));
    }
}
