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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ModelsProfile.class)
class ModelUpstreamResourceTest {

    private static final String OPERATOR = ProviderResourceTest.OPERATOR;
    private static final String MODELS = "/api/market/models";
    private static volatile int port;

    @Inject
    ModelCatalog catalog;

    @Inject
    ModelsFile modelsFile;

    @Inject
    Router router;

    @Inject
    AgroalDataSource db;

    private final List<String> registered = new ArrayList<>();

    @AfterEach
    void deleteWhatTheTestRegistered() {
        port = RestAssured.port;
        registered.forEach(id -> given().header("Authorization", OPERATOR).delete(MODELS + "/" + id));
    }

    /** Other test classes share the database and list services: leave no upstream behind. */
    @AfterAll
    static void deleteEveryUpstream() {
        for (String id : given().port(port).get(MODELS).then().extract().jsonPath()
                .getList("upstreams.id", String.class)) {
            given().port(port).header("Authorization", OPERATOR).delete(MODELS + "/" + id).then()
                    .statusCode(200);
        }
    }

    private static ValidatableResponse post(String auth, String body) {
        var req = given().contentType("application/json").body(body);
        return (auth == null ? req : req.header("Authorization", auth)).post(MODELS).then();
    }

    private JsonPath register(String body, int status) {
        JsonPath p = post(OPERATOR, body).statusCode(status).extract().jsonPath();
        registered.add(p.getString("id"));
        return p;
    }

    private static String upstream(String baseUrl, String models) {
        return "{\"baseUrl\": \"" + baseUrl + "\", \"models\": {" + models + "}}";
    }

    private static JsonPath services(Map<String, String> query) {
        return given().queryParams(query).get("/api/market/services").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void writesNeedTheOperatorAndReadsArePublic() {
        String body = upstream("http://127.0.0.1:9/auth/v1", "\"m\": {\"input\": \"1\", \"output\": \"1\"}");
        assertEquals("unauthorized", post(null, body).statusCode(401).header("WWW-Authenticate", "Bearer")
                .extract().jsonPath().getString("error"));
        assertEquals("forbidden", post(Tokens.bearer("someone"), body).statusCode(403).extract()
                .jsonPath().getString("error"));
        given().get(MODELS).then().statusCode(200);
        assertFalse(given().get(MODELS).asString().contains("/auth/v1"), "nothing was registered");
        given().delete(MODELS + "/nobody").then().statusCode(401);
        given().header("Authorization", OPERATOR).delete(MODELS + "/nobody").then().statusCode(404);
        given().get(MODELS + "/nobody").then().statusCode(404);
        String id = register(body.replace("/auth/", "/auth-jwt/"), 201).getString("id");
        assertTrue(id.startsWith("u"), id);
        post(Tokens.withGroups("ops", OperatorAuthority.ROLE), "{}").statusCode(400);
    }

    @Test
    void anUpstreamIsShownWithItsPricesButNeverItsHeaderValues() {
        String body = "{\"baseUrl\": \"http://127.0.0.1:9/show/v1/\", \"fee\": {\"amount\": \"3\"},"
                + " \"headers\": {\"Authorization\": \"Bearer sk-very-secret\", \"X-Org\": \"org-secret\"},"
                + " \"models\": {\"show-a\": {\"input\": \"150000\", \"output\": \"600000\","
                + " \"maxOutput\": 16384, \"cacheTtl\": \"10m\"}, \"show-b\": {\"input\": \"0\", \"output\": \"0\"}}}";
        ValidatableResponse created = post(OPERATOR, body).statusCode(201);
        String location = created.extract().header("Location");
        String text = created.extract().asString();
        JsonPath p = created.extract().jsonPath();
        String id = p.getString("id");
        registered.add(id);
        assertTrue(location.endsWith(MODELS + "/" + id), location);
        assertEquals("http://127.0.0.1:9/show/v1", p.getString("baseUrl"), "one spelling: no trailing slash");
        assertEquals("active", p.getString("status"));
        assertEquals("3", p.getString("fee.amount"));
        assertEquals("150000", p.getString("models.'show-a'.input"));
        assertEquals("600000", p.getString("models.'show-a'.output"));
        assertEquals(16384, p.getInt("models.'show-a'.maxOutput"));
        assertEquals("PT10M", p.getString("models.'show-a'.cacheTtl"));
        assertEquals(2048, p.getInt("models.'show-b'.maxOutput"), "the configured default");
        assertNull(p.get("models.'show-b'.cacheTtl"));
        assertEquals(List.of("Authorization", "X-Org"), p.getList("headerNames"));
        assertNotNull(p.getString("createdAt"));
        for (String read : List.of(text, given().get(MODELS + "/" + id).asString(), given().get(MODELS).asString(),
                given().get("/api/market/services").asString())) {
            assertFalse(read.contains("sk-very-secret") || read.contains("org-secret"), read);
        }
        assertTrue(given().get(MODELS).then().extract().jsonPath().getList("upstreams.id").contains(id));

        // the same base URL again updates it: the headers stay when none are given, a model left out goes
        JsonPath again = register("{\"baseUrl\": \"http://127.0.0.1:9/show/v1\", \"models\": {\"show-a\":"
                + " {\"input\": \"200000\", \"output\": \"600000\"}}}", 200);
        assertEquals(id, again.getString("id"));
        assertNull(again.get("fee"));
        assertEquals("200000", again.getString("models.'show-a'.input"));
        assertNull(again.get("models.'show-b'"));
        assertEquals(List.of("Authorization", "X-Org"), again.getList("headerNames"));
        assertEquals(1, catalog.offers("show-a").size());
        ModelOffer offer = catalog.offers("show-a").get(0);
        assertEquals("Bearer sk-very-secret", offer.headers().get("Authorization"));
        assertEquals(ModelOffer.idOf(id, "show-a"), offer.offerId());
        assertEquals(2048, offer.maxOutput());
        assertEquals(Fee.NONE, offer.fee());
        assertEquals(List.of(), catalog.offers("show-b"));
        assertEquals(List.of(), catalog.offers(null));
        assertFalse(catalog.modelIds().contains("show-b"));
    }

    @Test
    void deletingAnUpstreamEndsItsOffersButKeepsItsRecord() {
        String id = register(upstream("http://127.0.0.1:9/gone/v1",
                "\"gone-model\": {\"input\": \"5\", \"output\": \"5\"}"), 201).getString("id");
        assertTrue(catalog.modelIds().contains("gone-model"));
        assertTrue(services(Map.of()).getList("services.id").contains("gone-model"));
        JsonPath deleted = given().header("Authorization", OPERATOR).delete(MODELS + "/" + id).then()
                .statusCode(200).extract().jsonPath();
        assertEquals("deleted", deleted.getString("status"));
        assertFalse(catalog.modelIds().contains("gone-model"));
        assertEquals(List.of(), catalog.offers("gone-model"));
        assertFalse(services(Map.of()).getList("services.id").contains("gone-model"));
        assertFalse(given().get(MODELS).then().extract().jsonPath().getList("upstreams.id").contains(id));
        assertEquals("deleted", given().get(MODELS + "/" + id).then().statusCode(200).extract().jsonPath()
                .getString("status"));
        // registering it again brings it back, as new
        register(upstream("http://127.0.0.1:9/gone/v1", "\"gone-model\": {\"input\": \"5\", \"output\": \"5\"}"),
                201);
        assertEquals(1, catalog.offers("gone-model").size());
    }

    @Test
    void everyBadFieldIsA400NamingIt() {
        String ok = "\"m\": {\"input\": \"1\", \"output\": \"2\"}";
        String url = "http://127.0.0.1:9/bad/v1";
        String[][] cases = {
            {"[]", null},
            {"{\"models\": {" + ok + "}}", "baseUrl"},
            {upstream("not a url", ok), "baseUrl"},
            {upstream("ftp://127.0.0.1/v1", ok), "baseUrl"},
            {upstream(url + "?key=1", ok), "baseUrl"},
            {upstream("http://user:pw@127.0.0.1:9/v1", ok), "baseUrl"},
            {"{\"baseUrl\": \"" + url + "\"}", "models"},
            {upstream(url, ""), "models"},
            {"{\"baseUrl\": \"" + url + "\", \"models\": [\"m\"]}", "models"},
            {upstream(url, "\"m\": \"cheap\""), "models.m"},
            {upstream(url, "\"\": {\"input\": \"1\", \"output\": \"2\"}"), "models."},
            {upstream(url, "\" \": {\"input\": \"1\", \"output\": \"2\"}"), "models. "},
            {upstream(url, "\"a\\u0007b\": {\"input\": \"1\", \"output\": \"2\"}"), "models.a\u0007b"},
            {upstream(url, "\"" + "x".repeat(201) + "\": {\"input\": \"1\", \"output\": \"2\"}"),
                "models." + "x".repeat(201)},
            {upstream(url, "\"m\": {\"output\": \"2\"}"), "models.m.input"},
            {upstream(url, "\"m\": {\"input\": 1, \"output\": \"2\"}"), "models.m.input"},
            {upstream(url, "\"m\": {\"input\": \"1.5\", \"output\": \"2\"}"), "models.m.input"},
            {upstream(url, "\"m\": {\"input\": \"-1\", \"output\": \"2\"}"), "models.m.input"},
            {upstream(url, "\"m\": {\"input\": \"99999999999999999999\", \"output\": \"2\"}"), "models.m.input"},
            {upstream(url, "\"m\": {\"input\": \"1\"}"), "models.m.output"},
            {upstream(url, "\"m\": {\"input\": \"1\", \"output\": \"1e3\"}"), "models.m.output"},
            {upstream(url, "\"m\": {\"input\": \"9223372036854775807\", \"output\": \"1\"}"), "models.m.output"},
            {upstream(url, "\"m\": {\"input\": \"1\", \"output\": \"2\", \"maxOutput\": 0}"), "models.m.maxOutput"},
            {upstream(url, "\"m\": {\"input\": \"1\", \"output\": \"2\", \"maxOutput\": 1.5}"), "models.m.maxOutput"},
            {upstream(url, "\"m\": {\"input\": \"1\", \"output\": \"2\", \"maxOutput\": \"9\"}"), "models.m.maxOutput"},
            {upstream(url, "\"m\": {\"input\": \"1\", \"output\": \"2\", \"maxOutput\": 4294967296}"),
                "models.m.maxOutput"},
            {upstream(url, "\"m\": {\"input\": \"1\", \"output\": \"2\", \"cacheTtl\": \"soon\"}"), "models.m.cacheTtl"},
            {upstream(url, "\"m\": {\"input\": \"1\", \"output\": \"2\", \"cacheTtl\": \"0s\"}"), "models.m.cacheTtl"},
            {upstream(url, "\"m\": {\"input\": \"1\", \"output\": \"2\", \"max_tokens\": 5}"), "models.m.max_tokens"},
            {"{\"baseUrl\": \"" + url + "\", \"fee\": 5, \"models\": {" + ok + "}}", "fee"},
            {"{\"baseUrl\": \"" + url + "\", \"fee\": {\"bps\": -1}, \"models\": {" + ok + "}}", "fee.bps"},
            {"{\"baseUrl\": \"" + url + "\", \"fee\": {\"amount\": \"x\"}, \"models\": {" + ok + "}}", "fee.amount"},
            {"{\"baseUrl\": \"" + url + "\", \"fee\": {\"amount\": \"9223372036854775807\"}, \"models\": {"
                + ok + "}}", "fee"},
            {"{\"baseUrl\": \"" + url + "\", \"headers\": [], \"models\": {" + ok + "}}", "headers"},
            {"{\"baseUrl\": \"" + url + "\", \"headers\": {\"Bad Name\": \"v\"}, \"models\": {" + ok + "}}",
                "headers.Bad Name"},
            {"{\"baseUrl\": \"" + url + "\", \"headers\": {\"X-A\": \"a\\nb\"}, \"models\": {" + ok + "}}",
                "headers.X-A"},
            {"{\"baseUrl\": \"" + url + "\", \"cardUrl\": \"x\", \"models\": {" + ok + "}}", "cardUrl"},
        };
        for (String[] c : cases) {
            JsonPath p = post(OPERATOR, c[0]).statusCode(400).contentType("application/json").extract()
                    .jsonPath();
            assertEquals("invalid", p.getString("error"), c[0]);
            assertEquals(c[1], p.getString("field"), c[0]);
            assertNotNull(p.getString("message"), c[0]);
        }
        assertFalse(given().get(MODELS).asString().contains("/bad/v1"), "nothing was stored");
    }

    @Test
    void twoUpstreamsOfOneModelAreOneServiceWithTwoOffersRoutedCheapestFirst() {
        String dear = register("{\"baseUrl\": \"http://127.0.0.1:9/dear/v1\", \"models\": {\"shared-model\":"
                + " {\"input\": \"3000\", \"output\": \"9000\"}}}", 201).getString("id");
        String cheap = register("{\"baseUrl\": \"http://127.0.0.1:9/cheap/v1\", \"fee\": {\"bps\": 1000},"
                + " \"models\": {\"shared-model\": {\"input\": \"1000\", \"output\": \"4000\", \"maxOutput\": 100}}}",
                201).getString("id");

        JsonPath all = services(Map.of());
        assertEquals(1, all.getList("services.findAll { it.id == 'shared-model' }").size());
        String svc = "services.find { it.id == 'shared-model' }";
        assertEquals("model", all.getString(svc + ".kind"));
        assertEquals("shared-model", all.getString(svc + ".name"));
        assertTrue(all.getBoolean(svc + ".available"));
        assertEquals("1000", all.getString(svc + ".input"), "the offer a cost route picks");
        assertEquals("4000", all.getString(svc + ".output"));
        assertEquals(1000, all.getInt(svc + ".fee.bps"));
        assertEquals(100, all.getInt(svc + ".maxOutput"));
        assertEquals(cheap, all.getString(svc + ".provider.id"));
        assertEquals("http://127.0.0.1:9/cheap/v1", all.getString(svc + ".provider.url"));
        assertEquals(2, all.getList(svc + ".offers").size());
        String offerDear = svc + ".offers.find { it.provider.id == '" + dear + "' }";
        assertEquals("3000", all.getString(offerDear + ".input"));
        assertEquals("9000", all.getString(offerDear + ".output"));
        assertNull(all.get(offerDear + ".fee"));
        assertEquals(2048, all.getInt(offerDear + ".maxOutput"));
        assertEquals("ok", all.getString(offerDear + ".status"));
        assertNull(all.get(offerDear + ".latencyMs"));
        assertEquals("remote", all.getString(offerDear + ".provider.kind"));
        // skill services keep their shape, and say what they are
        assertEquals("skill", all.getString("services.find { it.id == 'echo' }.kind"));
        assertEquals("local", all.getString("services.find { it.id == 'echo' }.provider.kind"));

        assertEquals(List.of("shared-model"), services(Map.of("provider", dear)).getList("services.id"));
        assertTrue(services(Map.of("kind", "model")).getList("services.kind").stream().allMatch("model"::equals));
        assertFalse(services(Map.of("kind", "skill")).getList("services.id").contains("shared-model"));
        assertTrue(services(Map.of("paid", "true")).getList("services.id").contains("shared-model"));
        // the nominal price: a million tokens each way, fee included: 5000 + 500
        assertTrue(services(Map.of("maxPrice", "5500")).getList("services.id").contains("shared-model"));
        assertFalse(services(Map.of("maxPrice", "5499")).getList("services.id").contains("shared-model"));
        assertEquals("kind", given().queryParam("kind", "agent").get("/api/market/services").then()
                .statusCode(400).extract().jsonPath().getString("field"));
        // models are not A2A skills: the card does not list them
        assertFalse(given().get("/.well-known/agent-card.json").then().statusCode(200).extract()
                .jsonPath().getList("skills.id").contains("shared-model"));

        List<ModelOffer> offers = catalog.offers("shared-model");
        assertEquals(2, offers.size());
        assertTrue(catalog.modelIds().contains("shared-model"));
        List<String> ids = catalog.modelIds();
        assertEquals(ids.stream().sorted().toList(), ids);
        assertEquals(List.of(cheap, dear), router.order(offers, RouteMode.COST, Optional.empty()).stream()
                .map(ModelOffer::upstreamId).toList());
        assertEquals(List.of(dear), router.order(offers, RouteMode.COST, Optional.of(dear)).stream()
                .map(ModelOffer::upstreamId).toList());
    }

    @Test
    void theModelsFileWasAppliedAtStartAndApplyingItAgainAddsNothing() throws Exception {
        JsonPath list = given().get(MODELS).then().statusCode(200).extract().jsonPath();
        String filed = "upstreams.find { it.baseUrl == '" + ModelsProfile.FILED_URL + "' }";
        String id = list.getString(filed + ".id");
        assertNotNull(id, list.prettify());
        assertEquals(500, list.getInt(filed + ".fee.bps"));
        assertEquals("3000", list.getString(filed + ".models.'filed-large'.input"));
        assertEquals(8192, list.getInt(filed + ".models.'filed-large'.maxOutput"));
        assertEquals(List.of("Authorization"), list.getList(filed + ".headerNames"));
        ModelOffer large = catalog.offers("filed-large").get(0);
        assertEquals(Optional.of(Duration.ofMinutes(10)), large.cacheTtl());
        assertEquals(15000, large.outputPerMillion());
        assertEquals("model", services(Map.of()).getString("services.find { it.id == 'filed-small' }.kind"));

        Path again = Files.createTempFile("models-again", ".json");
        Files.writeString(again, ModelsProfile.FILE_BODY);
        assertEquals(1, modelsFile.apply(again.toString()));
        assertEquals(1, rows("select count(*) from market_upstream where base_url = ?", ModelsProfile.FILED_URL));
        assertEquals(2, rows("select count(*) from market_model where upstream_id = ?", id));
        assertEquals(1, catalog.offers("filed-small").size());
        // the bare array form is read as well
        String body = ModelsProfile.FILE_BODY;
        Files.writeString(again, body.substring(body.indexOf('['), body.lastIndexOf(']') + 1));
        assertEquals(1, modelsFile.apply(again.toString()));
        assertEquals(1, rows("select count(*) from market_upstream where base_url = ?", ModelsProfile.FILED_URL));
    }

    @Test
    void registrationsOfOneBaseUrlAtOnceMakeOneUpstream() throws Exception {
        String body = upstream("http://127.0.0.1:9/race/v1", "\"race-model\": {\"input\": \"1\", \"output\": \"1\"}");
        List<Integer> statuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> post(OPERATOR, body).extract().statusCode()));
            }
            for (Future<Integer> f : calls) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        registered.add(ModelUpstreams.idFor("http://127.0.0.1:9/race/v1"));
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(1, rows("select count(*) from market_upstream where base_url = ?", "http://127.0.0.1:9/race/v1"));
        assertEquals(1, catalog.offers("race-model").size());
    }

    private long rows(String sql, String arg) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
