package dev.purser.market;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The routing component against real PostgreSQL: attempts, statistics, breaker, probes. */
@QuarkusTest
@TestProfile(MarketProfile.class)
class RouterTest {

    @Inject
    Router router;

    @Inject
    AgroalDataSource db;

    private final FakeProviders fakes = new FakeProviders();
    private String cheap;
    private String dear;

    @AfterAll
    static void deleteEveryProvider() {
        ProviderResourceTest.deleteEveryProvider();
    }

    @AfterEach
    void cleanUp() {
        ProviderResourceTest.keepPort();
        for (String id : new String[] {cheap, dear}) {
            if (id != null) {
                given().header("Authorization", ProviderResourceTest.OPERATOR)
                        .delete("/api/market/providers/" + id);
            }
        }
        fakes.close();
    }

    private String register(String name, String skill, String amount, String extra) {
        return ProviderResourceTest.post(ProviderResourceTest.OPERATOR, "{\"cardUrl\": \""
                + fakes.card03(name, skill, amount) + "\"" + extra + "}").statusCode(201)
                .extract().jsonPath().getString("id");
    }

    private List<String> route(String service, RouteMode mode, Optional<String> pin) {
        return router.route(service, mode, pin).stream().map(Candidate::providerId).toList();
    }

    private void record(String service, String provider, Outcome outcome, long ms) {
        Candidate c = router.route(service, RouteMode.COST, Optional.of(provider)).get(0);
        router.record(c, outcome, ms);
    }

    private void coolOffPasses(String offerId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "update market_offer_health set down_until = now() - interval '1 second'"
                        + " where offer_id = ?")) {
            s.setString(1, offerId);
            assertEquals(1, s.executeUpdate());
        }
    }

    @Test
    void aCandidateCarriesWhatARemoteExecutorNeeds() {
        String skill = "route-fields";
        cheap = register("rf", skill, "400", ", \"fee\": {\"amount\": \"25\"}, \"headers\":"
                + " {\"Authorization\": \"Bearer upstream\"}, \"skills\": {\"" + skill
                + "\": {\"cacheTtl\": \"30s\"}}");
        Candidate c = router.route(skill, RouteMode.COST, Optional.empty()).get(0);
        assertEquals(RemoteOffer.idOf(cheap, skill), c.offerId());
        assertEquals(Candidate.Kind.REMOTE, c.kind());
        assertEquals("rf", c.providerName());
        assertEquals(skill, c.skillId());
        assertEquals(fakes.base() + "/rf/rpc", c.interfaceUrl());
        assertEquals("0.3", c.protocolVersion());
        assertEquals(Map.of("Authorization", "Bearer upstream"), c.headers());
        assertEquals(425, c.price());
        assertEquals(400, c.providerPrice());
        assertEquals(25, c.fee());
        assertEquals(Optional.of(Duration.ofSeconds(30)), c.cacheTtl());
        assertFalse(c.streaming());
        assertFalse(c.toString().contains("upstream"), "no credentials in logs");

        Candidate local = router.route("echo", RouteMode.COST, Optional.empty()).get(0);
        assertTrue(local.isLocal());
        assertEquals(List.of(), router.route("echo", RouteMode.COST, Optional.of("elsewhere")));
        assertEquals(List.of(), router.route("no-such-service", RouteMode.COST, Optional.empty()));
    }

    @Test
    void attemptsFeedLatencyAndSuccessAndTheBreakerTakesAFailingOfferOutThenProbesItOnce()
            throws SQLException {
        String skill = "route-breaker";
        cheap = register("rb-cheap", skill, "100", "");
        dear = register("rb-dear", skill, "200", "");
        assertEquals(List.of(cheap, dear), route(skill, RouteMode.COST, Optional.empty()));
        assertEquals(List.of(dear), route(skill, RouteMode.COST, Optional.of(dear)));

        record(skill, cheap, Outcome.COMPLETED, 300);
        record(skill, cheap, Outcome.COMPLETED, 100);
        record(skill, cheap, Outcome.COMPLETED, 200);
        record(skill, dear, Outcome.COMPLETED, 50);
        assertEquals(List.of(dear, cheap), route(skill, RouteMode.SPEED, Optional.empty()));
        String offer = "services.find { it.id == '" + skill + "' }.offers.find { it.provider.id == '"
                + cheap + "' }";
        JsonPath listed = given().get("/api/market/services").then().extract().jsonPath();
        assertEquals(200, listed.getInt(offer + ".latencyMs"));
        assertEquals(1.0f, listed.getFloat(offer + ".successRate"));
        assertEquals("ok", listed.getString(offer + ".status"));

        record(skill, cheap, Outcome.TIMEOUT, 5000);
        listed = given().get("/api/market/services").then().extract().jsonPath();
        assertEquals("degraded", listed.getString(offer + ".status"));
        assertEquals(0.75f, listed.getFloat(offer + ".successRate"));
        record(skill, cheap, Outcome.UNREACHABLE, 1);
        record(skill, cheap, Outcome.FAILED, 1); // the third in a row: down
        assertEquals(List.of(dear), route(skill, RouteMode.COST, Optional.empty()));
        listed = given().get("/api/market/services").then().extract().jsonPath();
        assertEquals("down", listed.getString(offer + ".status"));
        assertEquals("200", listed.getString("services.find { it.id == '" + skill + "' }.price.amount"));

        coolOffPasses(RemoteOffer.idOf(cheap, skill));
        assertEquals(List.of(cheap, dear), route(skill, RouteMode.COST, Optional.empty()), "the probe");
        assertEquals(List.of(dear), route(skill, RouteMode.COST, Optional.empty()), "one probe only");
        router.record(offer(cheap, skill), Outcome.COMPLETED, 80);
        assertEquals(List.of(cheap, dear), route(skill, RouteMode.COST, Optional.empty()), "closed");

        record(skill, cheap, Outcome.PRICE_CHANGED, 1);
        record(skill, cheap, Outcome.FAILED, 1);
        record(skill, cheap, Outcome.FAILED, 1);
        coolOffPasses(RemoteOffer.idOf(cheap, skill));
        assertEquals(List.of(cheap, dear), route(skill, RouteMode.COST, Optional.empty()), "probe");
        router.record(offer(cheap, skill), Outcome.FAILED, 1); // the probe failed: open again
        assertEquals(List.of(dear), route(skill, RouteMode.COST, Optional.empty()), "a new cool-off");
    }

    @Test
    void aCompletedAttemptIsWrittenAfterTheCallAndAFailureAfterEverythingQueuedBeforeIt()
            throws SQLException {
        String skill = "route-later";
        cheap = register("rl-cheap", skill, "100", "");
        String offerId = RemoteOffer.idOf(cheap, skill);
        Candidate c = offer(cheap, skill);
        router.record(c, Outcome.COMPLETED, 10);
        router.record(c, Outcome.COMPLETED, 20);
        router.flush();
        assertEquals(2, count("select count(*) from market_attempt where offer_id = ?", offerId));
        assertEquals(2, router.health(List.of(offerId)).get(offerId).attempts(), "in the statistics");

        // A completion still queued must not be written after the failures that follow it: it
        // would close the breaker they opened.
        router.record(c, Outcome.COMPLETED, 30);
        router.record(c, Outcome.FAILED, 1);
        router.record(c, Outcome.TIMEOUT, 1);
        router.record(c, Outcome.UNREACHABLE, 1);
        assertEquals(3, count("select failures from market_offer_health where offer_id = ?", offerId));
        assertEquals(List.of(), route(skill, RouteMode.COST, Optional.empty()), "down at once");
        assertEquals(6, count("select count(*) from market_attempt where offer_id = ?", offerId));
    }

    private long count(String sql, String offerId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, offerId);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** An offer as the router handed it out earlier (a caller keeps its candidates). */
    private static Candidate offer(String provider, String skill) {
        return new Candidate(RemoteOffer.idOf(provider, skill), Candidate.Kind.REMOTE, provider, "",
                "", skill, "", "0.3", Map.of(), 100, 100, 0, Optional.empty(), false);
    }
}
