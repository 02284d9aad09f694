package dev.purser.market;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.auth.OperatorAuthority;
import dev.purser.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(MarketProfile.class)
class ProviderResourceTest {

    static final String OPERATOR = "Bearer " + MarketProfile.TOKEN;
    private static final String PROVIDERS = "/api/market/providers";
    private static final String X402 = "capabilities.extensions.find { it.uri.contains('a2a-x402') }.params";

    @Inject
    AgroalDataSource db;

    private final FakeProviders fakes = new FakeProviders();
    private final List<String> registered = new ArrayList<>();

    /** The app's port, kept for {@link #deleteEveryProvider} (RestAssured's is reset by then). */
    private static volatile int port;

    static void keepPort() {
        port = RestAssured.port;
    }

    @AfterEach
    void deleteWhatTheTestRegistered() {
        keepPort();
        registered.forEach(id -> given().header("Authorization", OPERATOR).delete(PROVIDERS + "/" + id));
        fakes.close();
    }

    /**
     * Other test classes share the database: leave no provider behind (the file's included).
     * Needs {@link #port}, which each test's clean-up keeps.
     */
    @AfterAll
    static void deleteEveryProvider() {
        for (String id : given().port(port).get(PROVIDERS).then().extract().jsonPath().getList("providers.id",
                String.class)) {
            given().port(port).header("Authorization", OPERATOR).delete(PROVIDERS + "/" + id).then()
                    .statusCode(200);
        }
    }

    static ValidatableResponse post(String auth, String body) {
        var req = given().contentType("application/json").body(body);
        return (auth == null ? req : req.header("Authorization", auth)).post(PROVIDERS).then();
    }

    private JsonPath register(String body, int status) {
        JsonPath p = post(OPERATOR, body).statusCode(status).extract().jsonPath();
        registered.add(p.getString("id"));
        return p;
    }

    private static void refused(String body, int status, String code, String field) {
        JsonPath p = post(OPERATOR, body).statusCode(status).contentType("application/json")
                .extract().jsonPath();
        assertEquals(code, p.getString("error"), p.prettify());
        assertEquals(field, p.getString("field"), p.prettify());
        assertNotNull(p.getString("message"));
    }

    private static JsonPath services(Map<String, String> query) {
        return given().queryParams(query).get("/api/market/services").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void writesNeedTheOperatorTokenOrAJwtInTheOperatorGroup() {
        JsonPath none = post(null, "{}").statusCode(401).header("WWW-Authenticate", "Bearer")
                .extract().jsonPath();
        assertEquals("unauthorized", none.getString("error"));
        assertEquals("forbidden", post(Tokens.bearer("someone"), "{}").statusCode(403).extract()
                .jsonPath().getString("error"));
        assertEquals("forbidden", post(Tokens.withGroups("someone", "other"), "{}").statusCode(403)
                .extract().jsonPath().getString("error"));
        for (String refused : List.of("Bearer " + MarketProfile.TOKEN + "x", Tokens.expired("ops"),
                Tokens.foreignKey("ops"))) {
            assertEquals("unauthorized", post(refused, "{}").statusCode(401)
                    .contentType("application/json").extract().jsonPath().getString("error"), refused);
        }
        // the right credentials get as far as the body check
        post(Tokens.withGroups("ops", OperatorAuthority.ROLE), "{}").statusCode(400);
        post(OPERATOR, "{}").statusCode(400);
        given().delete(PROVIDERS + "/nobody").then().statusCode(401);
        given().post(PROVIDERS + "/nobody/refresh").then().statusCode(401);
        given().header("Authorization", OPERATOR).delete(PROVIDERS + "/nobody").then().statusCode(404);
        given().get(PROVIDERS).then().statusCode(200); // reads are public
    }

    @Test
    void purserRegistersItselfFromItsOwnCardWithAFeeAndHidesTheHeaders() {
        String self = "http://localhost:" + RestAssured.port;
        String body = "{\"cardUrl\": \"" + self + "\", \"fee\": {\"bps\": 250},"
                + " \"headers\": {\"X-Api-Key\": \"sekret-value\"}}";
        var created = post(OPERATOR, body).statusCode(201);
        String location = created.extract().header("Location");
        JsonPath p = created.extract().jsonPath();
        registered.add(p.getString("id"));
        assertTrue(location.endsWith(PROVIDERS + "/" + p.getString("id")), location);
        assertEquals("active", p.getString("status"));
        assertEquals("1.0", p.getString("protocolVersion"));
        assertEquals(self, p.getString("cardUrl"));
        assertEquals(250, p.getInt("fee.bps"));
        assertNotNull(p.getString("refreshedAt"));
        assertEquals("10000", p.getString("services.find { it.id == 'echo-paid' }.providerPrice"));
        assertEquals("250", p.getString("services.find { it.id == 'echo-paid' }.fee"));
        assertEquals("10250", p.getString("services.find { it.id == 'echo-paid' }.price"));
        assertEquals("0", p.getString("services.find { it.id == 'echo' }.price"));
        // the local skill and the remote one of the same id are one service with two offers
        String paid = "services.find { it.id == 'echo-paid' }";
        JsonPath listed = services(Map.of());
        assertEquals(List.of("local", "remote"), listed.getList(paid + ".offers.provider.kind"));
        assertEquals("10000", listed.getString(paid + ".price.amount"));
        assertEquals("local", listed.getString(paid + ".provider.kind"));
        assertEquals("0", listed.getString(paid + ".offers[0].fee"));
        assertEquals("10250", listed.getString(paid + ".offers[1].price.amount"));
        // (its card also lists what it resells, so those come back through it too)
        assertTrue(services(Map.of("provider", p.getString("id"))).getList("services.id")
                .containsAll(List.of("echo", "echo-paid")));
        assertEquals(List.of(), services(Map.of("provider", "nobody")).getList("services.id"));

        JsonPath again = post(OPERATOR, "{\"cardUrl\": \"" + self + "\"}").statusCode(200)
                .extract().jsonPath();
        assertEquals(p.getString("id"), again.getString("id"));
        assertNull(again.get("fee"));
        assertEquals("10000", again.getString("services.find { it.id == 'echo-paid' }.price"));
        String read = given().get(PROVIDERS + "/" + p.getString("id")).then().statusCode(200)
                .extract().asString();
        assertFalse(read.contains("sekret-value"), read);
        assertFalse(given().get(PROVIDERS).asString().contains("sekret-value"));
    }

    @Test
    void everyRefusalHasItsCodeAndNamesItsField() {
        refused("{\"fee\": {\"bps\": 1}}", 400, "invalid", "cardUrl");
        refused("{\"cardUrl\": \"" + fakes.base() + "/x\", \"fee\": {\"bps\": -3}}", 400, "invalid", "fee.bps");
        refused("{\"cardUrl\": \"" + fakes.base() + "/nothing-here\"}", 422, "card_unreachable", "cardUrl");
        refused("{\"cardUrl\": \"http://127.0.0.1:1/\"}", 422, "card_unreachable", "cardUrl");
        refused("{\"cardUrl\": \"" + fakes.serve("/text.json", 200, "<html>") + "\"}", 422,
                "card_invalid", "cardUrl");
        refused("{\"cardUrl\": \"" + fakes.serve("/noname.json", 200, "{\"skills\": []}") + "\"}", 422,
                "card_invalid", "cardUrl");
        // a valid card padded past 1 MiB: refused by its size, not parsed
        String huge = fakes.serve("/huge.json", 200, "{\"name\": \"big\", \"description\": \""
                + "x".repeat(1 << 20) + "\", \"skills\": []}");
        refused("{\"cardUrl\": \"" + huge + "\"}", 422, "card_invalid", "cardUrl");
        assertTrue(post(OPERATOR, "{\"cardUrl\": \"" + huge + "\"}").extract().jsonPath()
                .getString("message").contains("larger than 1048576 bytes"));
        refused("{\"cardUrl\": \"" + fakes.base().replace("://", "://user:pw@") + "/x\"}", 400,
                "invalid", "cardUrl");
        String card = fakes.card03("good", "sum", "5");
        refused("{\"cardUrl\": \"" + card + "\", \"skills\": {\"nope\": {}}}", 422, "card_invalid",
                "skills.nope");
        String mainnet = fakes.serve("/mainnet.json", 200, "{\"name\": \"m\", \"url\": \"" + fakes.base()
                + "/rpc\", \"skills\": [{\"id\": \"sum\"}], \"capabilities\": {\"extensions\": [{\"uri\": \""
                + FakeProviders.X402 + "\", \"params\": {\"network\": \"base\", \"skills\": {\"sum\":"
                + " {\"amount\": \"5\"}}}}]}}");
        refused("{\"cardUrl\": \"" + mainnet + "\"}", 422, "asset_mismatch", null);
        String otherToken = fakes.serve("/token.json", 200, "{\"name\": \"m\", \"url\": \"" + fakes.base()
                + "/rpc\", \"skills\": [{\"id\": \"sum\"}], \"capabilities\": {\"extensions\": [{\"uri\": \""
                + FakeProviders.X402 + "\", \"params\": {\"skills\": {\"sum\": {\"amount\": \"5\","
                + " \"asset\": \"0x0000000000000000000000000000000000000001\"}}}}]}}");
        refused("{\"cardUrl\": \"" + otherToken + "\"}", 422, "asset_mismatch", null);
    }

    @Test
    void twoProvidersOfOneSkillAreOneServiceWithTwoOffersOnTheListingAndTheCard() {
        String a = register("{\"cardUrl\": \"" + fakes.card03("alpha", "summarize", "5000") + "\"}", 201)
                .getString("id");
        String b = register("{\"cardUrl\": \"" + fakes.card03("beta", "summarize", "3000")
                + "\", \"fee\": {\"bps\": 1000}}", 201).getString("id");

        JsonPath all = services(Map.of());
        String svc = "services.find { it.id == 'summarize' }";
        assertEquals(2, all.getList(svc + ".offers").size());
        assertEquals("3300", all.getString(svc + ".price.amount"));
        assertEquals("USDC", all.getString(svc + ".price.symbol"));
        assertEquals(b, all.getString(svc + ".provider.id"));
        assertEquals("remote", all.getString(svc + ".provider.kind"));
        assertTrue(all.getBoolean(svc + ".available"));
        String offerB = svc + ".offers.find { it.provider.id == '" + b + "' }";
        assertEquals("3000", all.getString(offerB + ".providerPrice"));
        assertEquals("300", all.getString(offerB + ".fee"));
        assertEquals("3300", all.getString(offerB + ".price.amount"));
        assertEquals("ok", all.getString(offerB + ".status"));
        assertNull(all.get(offerB + ".latencyMs"));
        assertNull(all.get(offerB + ".successRate"));

        assertEquals(List.of("summarize"), services(Map.of("provider", a)).getList("services.id"));
        assertFalse(services(Map.of("maxPrice", "3299")).getList("services.id").contains("summarize"));
        assertTrue(services(Map.of("maxPrice", "3300")).getList("services.id").contains("summarize"));
        List<String> byPrice = services(Map.of("sort", "price")).getList("services.id");
        assertTrue(byPrice.indexOf("echo") < byPrice.indexOf("summarize"), byPrice.toString());
        assertTrue(byPrice.indexOf("summarize") < byPrice.indexOf("echo-paid"), byPrice.toString());
        for (String sort : List.of("latency", "success")) {
            assertTrue(services(Map.of("sort", sort)).getList("services.id").contains("summarize"));
        }
        for (String[] bad : new String[][] {{"sort", "cheap"}, {"maxPrice", "1.5"}, {"maxPrice", "-1"}}) {
            assertEquals(bad[0], given().queryParam(bad[0], bad[1]).get("/api/market/services").then()
                    .statusCode(400).extract().jsonPath().getString("field"));
        }

        JsonPath card = given().get("/.well-known/agent-card.json").then().statusCode(200).extract()
                .jsonPath();
        assertTrue(card.getList("skills.id").contains("summarize"));
        assertEquals("3300", card.getString(X402 + ".skills.summarize.amount"));

        // the operator's override makes alpha the cheapest
        post(OPERATOR, "{\"cardUrl\": \"" + fakes.base() + "/alpha\", \"skills\": {\"summarize\":"
                + " {\"price\": \"1000\", \"cacheTtl\": \"10m\"}}}").statusCode(200);
        assertEquals(a, services(Map.of()).getString(svc + ".provider.id"));
        assertEquals("1000", given().get("/.well-known/agent.json").then().extract().jsonPath()
                .getString(X402 + ".skills.summarize.amount"));
        assertEquals("PT10M", given().get(PROVIDERS + "/" + a).then().extract().jsonPath()
                .getString("services[0].cacheTtl"));
    }

    @Test
    void deletingAProviderTakesItsServicesOffTheListingAndTheCardButKeepsItsRecord() {
        String id = register("{\"cardUrl\": \"" + fakes.card03("gamma", "gamma-only", "70") + "\"}", 201)
                .getString("id");
        assertTrue(services(Map.of()).getList("services.id").contains("gamma-only"));
        assertEquals("deleted", given().header("Authorization", OPERATOR).delete(PROVIDERS + "/" + id)
                .then().statusCode(200).extract().jsonPath().getString("status"));
        assertFalse(services(Map.of()).getList("services.id").contains("gamma-only"));
        assertFalse(given().get("/.well-known/agent-card.json").then().extract().jsonPath()
                .getList("skills.id").contains("gamma-only"));
        assertEquals("deleted", given().get(PROVIDERS + "/" + id).then().statusCode(200).extract()
                .jsonPath().getString("status"));
        assertFalse(given().get(PROVIDERS).then().extract().jsonPath().getList("providers.id").contains(id));
        given().header("Authorization", OPERATOR).post(PROVIDERS + "/" + id + "/refresh").then()
                .statusCode(404);
    }

    @Test
    void refreshReadsTheCardAgainAndKeepsTheOffersWhenItCannot() {
        String url = fakes.card03("delta", "delta-skill", "100");
        String id = register("{\"cardUrl\": \"" + url + "\"}", 201).getString("id");
        fakes.card03("delta", "delta-skill", "150");
        JsonPath refreshed = given().header("Authorization", OPERATOR).post(PROVIDERS + "/" + id + "/refresh")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("150", refreshed.getString("services[0].price"));
        assertEquals("150", services(Map.of()).getString(
                "services.find { it.id == 'delta-skill' }.price.amount"));

        fakes.serve("/delta" + CardFetcher.WELL_KNOWN, 500, "{}");
        assertEquals("card_unreachable", given().header("Authorization", OPERATOR)
                .post(PROVIDERS + "/" + id + "/refresh").then().statusCode(422).extract().jsonPath()
                .getString("error"));
        assertEquals("150", services(Map.of()).getString(
                "services.find { it.id == 'delta-skill' }.price.amount"));
    }

    @Test
    void aChangeMadeByAnotherInstanceReachesTheListingAndTheCard() throws Exception {
        String id = register("{\"cardUrl\": \"" + fakes.card03("eps", "eps-skill", "100") + "\"}", 201)
                .getString("id");
        assertEquals("100", cardPrice("eps-skill"));
        // what another instance's write does: the rows and the version, in one transaction
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("update market_offer set provider_price = 120, price = 120"
                        + " where id = '" + RemoteOffer.idOf(id, "eps-skill") + "'");
                s.executeUpdate("update market_version set version = version + 1");
            }
            c.commit();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"120".equals(cardPrice("eps-skill")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals("120", cardPrice("eps-skill"));
        assertEquals("120", services(Map.of()).getString(
                "services.find { it.id == 'eps-skill' }.price.amount"));
    }

    private static String cardPrice(String skill) {
        return given().get("/.well-known/agent-card.json").then().statusCode(200).extract().jsonPath()
                .getString(X402 + ".skills.'" + skill + "'.amount");
    }

    @Test
    void theProvidersFileWasAppliedAtStartAndItsBadEntryRefused() {
        JsonPath list = given().get(PROVIDERS).then().statusCode(200).extract().jsonPath();
        // (the profile's class is loaded again here, with another server: match the path only)
        String filed = "providers.find { it.cardUrl.endsWith('/filed') }";
        assertEquals("active", list.getString(filed + ".status"));
        assertEquals("6", list.getString(filed + ".fee.amount"));
        assertEquals("1240", list.getString(filed + ".services[0].price"));
        assertEquals("0.3", list.getString(filed + ".protocolVersion"));
        assertEquals(1, list.getList("providers.findAll { it.cardUrl.endsWith('/filed') }").size());
    }
}
