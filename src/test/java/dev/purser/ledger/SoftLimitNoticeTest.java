package dev.purser.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.testing.ConformanceProfile;
import dev.purser.testing.Rpc;
import dev.purser.testing.Webhook;
import dev.purser.testing.WebhookSignatures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Soft-limit notices reach the principal's webhook (a local receiver; the conformance profile
 * allows loopback webhooks) once per threshold whatever the concurrency, with retries, and reach
 * the push configs of the task whose draw crossed the threshold.
 */
@QuarkusTest
@TestProfile(ConformanceProfile.class)
class SoftLimitNoticeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration TTL = Duration.ofMinutes(5);

    @Inject
    Envelopes envelopes;

    @Inject
    LedgerNotices notices;

    @Test
    void eachThresholdIsPostedOnceEvenWhenConcurrentDrawsCrossItTogether() throws Exception {
        try (Webhook hook = Webhook.start(0)) {
            Envelope e = Ledgers.open(envelopes, Ledgers.spec(10_000).withNotices(
                    new EnvelopeSpec.Notices(hook.url(), null)));
            int threads = 32;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    // 100 draws of 100 in all: every one of them fits, both thresholds cross.
                    for (int i = 0; i < 4; i++) {
                        ReserveResult r = envelopes.reserve(e.id(), 100, Ledgers.randomId(), TTL,
                                DrawContext.NONE);
                        if (r instanceof ReserveResult.Reserved ok) {
                            Ledgers.captured(envelopes.capture(ok.reservation(), 100));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
            assertEquals(10_000, envelopes.find(e.id()).orElseThrow().spent());

            Set<Integer> seen = new HashSet<>();
            List<Webhook.Post> posts = hook.until(p -> {
                seen.add(p.body().get("threshold").asInt());
                return seen.size() == 2;
            }, WAIT);
            assertEquals(2, posts.size(), "no threshold was posted twice");
            assertEquals(Set.of(80, 90), seen);
            for (Webhook.Post p : posts) {
                JsonNode body = p.body();
                assertEquals("purser.soft_limit", body.get("type").asText());
                assertEquals(e.id().hex(), body.get("mandateId").asText());
                assertEquals("10000", body.get("budget").asText());
                assertTrue(Long.parseLong(body.get("spent").asText()) * 100
                        >= body.get("threshold").asLong() * 10_000, "spent had reached it");
            }
            List<Notice> stored = notices.of(e.id());
            assertEquals(2, stored.size(), "one notice per threshold, ever, this period");
            Ledgers.audit(envelopes, e.id());
        }
    }

    @Test
    void aFailedNoticeIsPostedAgain() throws Exception {
        try (Webhook hook = Webhook.start(1)) {
            Envelope e = Ledgers.open(envelopes, Ledgers.spec(1000).withNotices(
                    new EnvelopeSpec.Notices(hook.url(), List.of(50))));
            Ledgers.captured(envelopes.capture(Ledgers.reserved(envelopes.reserve(e.id(), 600,
                    Ledgers.randomId(), TTL, DrawContext.NONE)), 600));
            JsonNode failed = hook.next(WAIT).body(); // answered 500
            JsonNode retried = hook.next(WAIT).body();
            assertEquals(failed, retried, "the same notice, the same id");
            assertEquals(50, retried.get("threshold").asInt());
        }
    }

    @Test
    void aNoticeIsSignedWithTheCardsKey() throws Exception {
        JsonNode key = WebhookSignatures.cardKey();
        try (Webhook hook = Webhook.start(0)) {
            Envelope e = Ledgers.open(envelopes, Ledgers.spec(1000).withNotices(
                    new EnvelopeSpec.Notices(hook.url(), List.of(50))));
            Ledgers.captured(envelopes.capture(Ledgers.reserved(envelopes.reserve(e.id(), 600,
                    Ledgers.randomId(), TTL, DrawContext.NONE)), 600));
            Webhook.Post notice = hook.next(WAIT);
            assertEquals(e.id().hex(), notice.body().get("mandateId").asText());
            WebhookSignatures.assertSigned(notice, key);
        }
    }

    @Test
    void aTaskWhoseDrawCrossesAThresholdHearsOfItByPush() throws Exception {
        try (Webhook hook = Webhook.start(0)) {
            String taskId = Rpc.v10().call("SendMessage", Map.of("message", Map.of(
                    "role", "ROLE_USER", "messageId", "tck-input-required-" + UUID.randomUUID(),
                    "parts", List.of(Map.of("text", "hi"))), "configuration",
                    Map.of("taskPushNotificationConfig", Map.of("url", hook.url()))))
                    .getString("result.task.id");
            Envelope e = Ledgers.open(envelopes, Ledgers.spec(1000));
            Bytes32 key = Ledgers.randomId();
            Ledgers.captured(envelopes.capture(Ledgers.reserved(envelopes.reserve(e.id(), 850,
                    key, TTL, new DrawContext("echo-paid", "local", null, taskId))), 850));
            List<Webhook.Post> posts = hook.until(p -> p.body().at(
                    "/statusUpdate/status/message/parts/0/text").asText().contains("80 %"), WAIT);
            Webhook.Post notice = posts.get(posts.size() - 1);
            assertEquals(taskId, notice.body().at("/statusUpdate/taskId").asText());
            assertEquals("TASK_STATE_INPUT_REQUIRED",
                    notice.body().at("/statusUpdate/status/state").asText(),
                    "the task's state is unchanged");
        }
    }
}
