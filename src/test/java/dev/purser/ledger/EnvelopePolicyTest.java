package dev.purser.ledger;

import static dev.purser.testing.TestMandates.policy;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.ledger.EnvelopeSpec.Limits;
import dev.purser.testing.ConformanceProfile;
import dev.purser.testing.TestMandates;
import dev.purser.testing.Webhook;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The envelope policy of DESIGN §4 over the real endpoints: {@code PUT …/policy} signed by the
 * principal, the daily cap and the guards enforced by the ledger's draw statement, notices to
 * the policy's webhook, children only tightening. The conformance profile allows the loopback
 * webhook.
 */
@QuarkusTest
@TestProfile(ConformanceProfile.class)
class EnvelopePolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Envelopes envelopes;

    @Inject
    LedgerNotices notices;

    private final Secp256k1Key principal = Secp256k1Key.generate(RANDOM);
    private final Secp256k1Key agent = Secp256k1Key.generate(RANDOM);

    private String mandate(long budget) {
        return TestMandates.register(principal, agent, budget, 0, List.of());
    }

    private static Response put(String id, ObjectNode body) {
        return given().contentType("application/json").body(body.toString())
                .put("/api/a2a/mandates/" + id + "/policy");
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** A direct draw by {@code signer} ({@code POST …/use}). */
    private static Response use(String id, long amount, Secp256k1Key signer) {
        ObjectNode draw = JSON.createObjectNode();
        draw.put("mandateId", id);
        draw.put("amount", Long.toString(amount));
        draw.put("idempotencyKey", Ledgers.randomId().hex());
        draw.put("memo", "policy test " + amount);
        draw.put("deadline", now() + 600);
        ObjectNode body = JSON.createObjectNode();
        body.set("draw", draw);
        body.put("signature", signer.sign(PurserTypes.DRAW.typedData(
                PurserTypes.mandateDomain(84532), draw).digest()).hex());
        return given().contentType("application/json").body(body.toString())
                .post("/api/a2a/mandates/" + id + "/use");
    }

    @Test
    void aDailyCapRefusesTheDrawThatWouldPassItAndAdmitsAgainTheNextUtcDay() {
        MovableClock clock = new MovableClock(Instant.now());
        QuarkusMock.installMockForType(clock, LedgerClock.class);
        String id = mandate(10_000);
        put(id, policy(principal, id, 1000, 0, List.of(), "", now())).then().statusCode(200)
                .body("id", equalTo(id)).body("policy.dailyMax", equalTo("1000"));

        use(id, 600, agent).then().statusCode(200);
        use(id, 500, agent).then().statusCode(402).body("error", equalTo("daily_limit_exceeded"));
        use(id, 400, agent).then().statusCode(200);
        use(id, 1, agent).then().statusCode(402).body("error", equalTo("daily_limit_exceeded"));
        assertEquals(1000, envelopes.find(Bytes32.fromHex(id)).orElseThrow().spent(),
                "the refused draws moved nothing");

        clock.advance(Duration.ofDays(1));
        use(id, 1000, agent).then().statusCode(200);
        use(id, 1, agent).then().statusCode(402).body("error", equalTo("daily_limit_exceeded"));
        assertEquals(2000, envelopes.find(Bytes32.fromHex(id)).orElseThrow().spent());
        Ledgers.audit(envelopes, Bytes32.fromHex(id));
    }

    @Test
    void onlyThePrincipalsLatestPolicyHolds() {
        String id = mandate(10_000);
        long t = now() - 60;
        Secp256k1Key stranger = Secp256k1Key.generate(RANDOM);
        put(id, policy(stranger, id, 1, 0, List.of(), "", t)).then().statusCode(422)
                .body("error", equalTo("signature_mismatch")).body("field", equalTo("signature"));
        put(id, policy(agent, id, 1, 0, List.of(), "", t)).then().statusCode(422)
                .body("error", equalTo("signature_mismatch"));

        put(id, policy(principal, id, 500, 0, List.of(), "", t)).then().statusCode(200)
                .body("policy.dailyMax", equalTo("500")).body("policy.issuedAt", equalTo((int) t));
        put(id, policy(principal, id, 0, 0, List.of(), "", t - 1)).then().statusCode(409)
                .body("error", equalTo("policy_outdated"))
                .body("field", equalTo("policy.issuedAt"));
        put(id, policy(principal, id, 0, 0, List.of(), "", t)).then().statusCode(409)
                .body("error", equalTo("policy_outdated"));
        given().get("/api/a2a/mandates/" + id).then().statusCode(200)
                .body("policy.dailyMax", equalTo("500"));

        put(id, policy(principal, id, 700, 0, List.of(), "", t + 1)).then().statusCode(200)
                .body("policy.dailyMax", equalTo("700"));
        put(id, policy(principal, id, 0, 0, List.of(), "", now() + 3600)).then()
                .statusCode(422).body("error", equalTo("not_yet_valid"));
        put(id, policy(principal, mandate(1), 0, 0, List.of(), "", now())).then()
                .statusCode(400).body("field", equalTo("policy.mandate"));
        put(id, policy(principal, id, 0, 0, List.of(), "ftp://example.com/x", now())).then()
                .statusCode(400).body("field", equalTo("policy.webhook"));
        ObjectNode sloppy = policy(principal, id, 0, 0, List.of(), "", now());
        ((ObjectNode) sloppy.get("policy")).put("ratePerMinute", -1);
        put(id, sloppy).then().statusCode(400).body("error", equalTo("invalid"))
                .body("field", equalTo("policy.ratePerMinute"));
        put(Ledgers.randomId().hex(), policy(principal, id, 0, 0, List.of(), "", now()))
                .then().statusCode(404);
    }

    @Test
    void aTighterRateThanTheServersAppliesALooserOneDoesNot() {
        String id = mandate(10_000);
        put(id, policy(principal, id, 0, 2, List.of(), "", now())).then().statusCode(200)
                .body("policy.ratePerMinute", equalTo(2));
        use(id, 1, agent).then().statusCode(200);
        use(id, 1, agent).then().statusCode(200);
        use(id, 1, agent).then().statusCode(429).body("error", equalTo("rate_limited"));

        // Against a setting of 3 for its agent (the operator's override standing in for the
        // server's, which is too high to reach in a test), a policy of 100 changes nothing.
        Envelope looser = Ledgers.open(envelopes, Ledgers.spec(10_000)
                .withLimits(new Limits(0, 3, 0, 0)));
        assertEquals(PolicyResult.Set.class, envelopes.setPolicy(looser.id(),
                new EnvelopePolicy(0, 100, 0, 0, List.of(), "", now())).getClass());
        for (int i = 0; i < 3; i++) {
            Ledgers.captured(envelopes.draw(looser.id(), 1, Ledgers.randomId(),
                    DrawContext.NONE));
        }
        assertEquals(Refusal.RATE_LIMITED, Ledgers.refusal(envelopes.draw(looser.id(), 1,
                Ledgers.randomId(), DrawContext.NONE)));

        Envelope tighter = Ledgers.open(envelopes, Ledgers.spec(10_000)
                .withLimits(new Limits(0, 3, 0, 0)));
        envelopes.setPolicy(tighter.id(), new EnvelopePolicy(0, 1, 0, 0, List.of(), "", now()));
        Ledgers.captured(envelopes.draw(tighter.id(), 1, Ledgers.randomId(), DrawContext.NONE));
        assertEquals(Refusal.RATE_LIMITED, Ledgers.refusal(envelopes.draw(tighter.id(), 1,
                Ledgers.randomId(), DrawContext.NONE)));
    }

    @Test
    void noticesGoToTheEnvelopesWebhookOncePerThreshold() throws Exception {
        try (Webhook hook = Webhook.start(0)) {
            String id = mandate(1000);
            put(id, policy(principal, id, 0, 0, List.of(50, 80), hook.url(), now())).then()
                    .statusCode(200).body("policy.webhook", equalTo(hook.url()))
                    .body("policy.softLimits", equalTo(List.of(50, 80)));
            use(id, 300, agent).then().statusCode(200);
            use(id, 300, agent).then().statusCode(200);
            use(id, 100, agent).then().statusCode(200);
            use(id, 200, agent).then().statusCode(200);
            use(id, 50, agent).then().statusCode(200);

            Set<Integer> seen = new HashSet<>();
            List<Webhook.Post> posts = hook.until(p -> {
                seen.add(p.body().get("threshold").asInt());
                return seen.size() == 2;
            }, WAIT);
            assertEquals(2, posts.size(), "no threshold was posted twice");
            assertEquals(Set.of(50, 80), seen);
            for (Webhook.Post p : posts) {
                assertEquals(id, p.body().get("mandateId").asText());
            }
            assertEquals(2, notices.of(Bytes32.fromHex(id)).size(),
                    "one notice per threshold, whatever the draws after it");
        }
    }

    @Test
    void aChildStartsWithItsParentsPolicyAndMayOnlyTightenIt() {
        String parent = mandate(10_000);
        put(parent, policy(principal, parent, 1000, 5, List.of(50), "", now())).then()
                .statusCode(200);
        Secp256k1Key sub = Secp256k1Key.generate(RANDOM);
        String child = TestMandates.registerChild(parent, agent, sub, 5000, List.of());
        given().get("/api/a2a/mandates/" + child).then().statusCode(200)
                .body("policy.dailyMax", equalTo("1000")).body("policy.ratePerMinute", equalTo(5))
                .body("policy.softLimits", equalTo(List.of(50)))
                .body("policy.issuedAt", equalTo(0));

        // The child's principal is the parent's agent; it signs the child's policy.
        long t = now();
        put(child, policy(principal, child, 500, 3, List.of(), "", t)).then().statusCode(422)
                .body("error", equalTo("signature_mismatch"));
        put(child, policy(agent, child, 2000, 3, List.of(), "", t)).then().statusCode(422)
                .body("error", equalTo("policy_loosens_parent"));
        put(child, policy(agent, child, 0, 3, List.of(), "", t)).then().statusCode(422)
                .body("error", equalTo("policy_loosens_parent"));
        put(child, policy(agent, child, 500, 0, List.of(), "", t)).then().statusCode(422)
                .body("error", equalTo("policy_loosens_parent"));
        put(child, policy(agent, child, 500, 6, List.of(), "", t)).then().statusCode(422)
                .body("error", equalTo("policy_loosens_parent"));
        put(child, policy(agent, child, 500, 3, List.of(90), "", t)).then().statusCode(200)
                .body("policy.dailyMax", equalTo("500")).body("policy.ratePerMinute", equalTo(3));

        use(child, 400, sub).then().statusCode(200);
        use(child, 101, sub).then().statusCode(402).body("error", equalTo("daily_limit_exceeded"));
    }
}
