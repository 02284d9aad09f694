package dev.purser.boot;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code PURSER_REGISTRATION_RATE} (3 a minute here) per client address: the fourth quick
 * registration, and separately the fourth quick quote, is 429 with {@code Retry-After} and the
 * DESIGN §8 body; other endpoints are not limited; the bucket refills with time.
 */
@QuarkusTest
@TestProfile(ClientRateLimitTest.Limited.class)
class ClientRateLimitTest {

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the profiled key too: application.properties turns the limit off for %test
            return Map.of("purser.registration-rate", "3/min",
                    "%test.purser.registration-rate", "3/min");
        }
    }

    private static final String ID = "0x" + "ab".repeat(32);

    @Test
    void theFourthQuickRegistrationIsRefusedWith429AndRetryAfter() {
        for (int i = 0; i < 3; i++) {
            given().contentType("application/json").body("{}").post("/api/a2a/mandates")
                    .then().statusCode(400);
        }
        Response limited = given().contentType("application/json").body("{}")
                .post("/api/a2a/mandates");
        limited.then().statusCode(429).contentType("application/json")
                .body("error", equalTo("rate_limited")).body("field", nullValue());
        long retry = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retry >= 1 && retry <= 20, "a third of a minute at most: " + retry);
        // a GET of an envelope is not limited
        for (int i = 0; i < 5; i++) {
            given().get("/api/a2a/mandates/" + ID).then().statusCode(404);
        }
    }

    @Test
    void quotesHaveTheirOwnAllowance() {
        for (int i = 0; i < 3; i++) {
            given().get("/api/a2a/mandates/" + ID + "/quote?amount=1").then().statusCode(404);
        }
        given().get("/api/a2a/mandates/" + ID + "/quote?amount=1").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("error", equalTo("rate_limited"));
    }

    @Test
    void theBucketRefillsEvenly() {
        AtomicLong now = new AtomicLong();
        ClientRateLimit limit = new ClientRateLimit("2/s", now::get);
        assertEquals(0, limit.take("a"));
        assertEquals(0, limit.take("a"));
        long wait = limit.take("a");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), wait, "one token every 500 ms");
        assertEquals(0, limit.take("b"), "another address has its own bucket");
        now.addAndGet(wait);
        assertEquals(0, limit.take("a"));
        assertTrue(limit.take("a") > 0);
        assertThrows(IllegalArgumentException.class, () -> new ClientRateLimit("fast", now::get));
        ClientRateLimit off = new ClientRateLimit("0", now::get);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, off.take("a"));
        }
    }
}
