package dev.purser.metered;

import static dev.purser.metered.Metered.buyer;
import static dev.purser.metered.Metered.chat;
import static dev.purser.metered.Metered.cost;
import static dev.purser.metered.Metered.job;
import static dev.purser.metered.Metered.modelId;
import static dev.purser.metered.Metered.prices;
import static dev.purser.metered.Metered.reserved;
import static dev.purser.metered.Metered.spent;
import static dev.purser.metered.Metered.upstream;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Receipt;
import dev.purser.testing.LedgerAudit;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The /v1 endpoint driven by the official {@code openai} client, unmodified but for base URL and
 * key, against OpenAI-compatible upstreams on loopback (DESIGN §11; issue 17's "done means").
 */
@QuarkusTest
@TestProfile(MeteredProfile.class)
class MeteredCallTest {

    private static final long IN = 1_000_003; // atomic units per 1M input tokens
    private static final long OUT = 2_000_001; // per 1M output tokens: usage costs round up

    @Inject
    Envelopes envelopes;

    private FakeOpenAiUpstream first;
    private FakeOpenAiUpstream second;

    @BeforeEach
    void start() {
        first = FakeOpenAiUpstream.start();
        second = FakeOpenAiUpstream.start();
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
    }

    private static String model(FakeOpenAiUpstream up, String hint, Map<String, Object> extra) {
        String id = modelId(hint);
        Map<String, Object> m = new HashMap<>(prices(IN, OUT));
        m.putAll(extra);
        upstream(up.baseUrl(), Map.of(id, m));
        return id;
    }

    private static JsonNode only(List<JsonNode> results) {
        assertEquals(1, results.size(), results.toString());
        return results.get(0);
    }

    private static JsonNode call(Metered.Buyer buyer, ObjectNode request) {
        return only(OpenAiClient.run(job(buyer, request)));
    }

    @Test
    void aCompletionIsChargedExactlyItsPriceByUsageRoundedUpWithTheCostHeaders() throws Exception {
        String model = model(first, "plain", Map.of());
        Metered.Buyer buyer = buyer(5_000_000, List.of());
        first.always(UpstreamReply.text("four").usage(10, 20));

        JsonNode r = call(buyer, chat(model, "How much is 2 + 2?").put("max_tokens", 50));

        assertTrue(r.get("ok").asBoolean(), r.toString());
        assertEquals("four", r.at("/response/choices/0/message/content").asText());
        long price = cost(10, 20, IN, OUT); // 50.00005 → 51
        assertEquals(51, price);
        JsonNode h = r.get("headers");
        assertEquals(Long.toString(price), h.get("x-purser-cost").asText());
        assertEquals(Long.toString(5_000_000 - price), h.get("x-purser-remaining").asText());
        assertEquals(price, spent(buyer.mandateId()));
        assertEquals(0, reserved(buyer.mandateId()));
        List<Receipt> receipts = audit(buyer);
        assertEquals(1, receipts.size());
        assertEquals(receipts.get(0).entryHash().hex(), h.get("x-purser-receipt").asText());
        assertEquals(price, receipts.get(0).amount());
        // the upstream got the operator's key, never the caller's
        FakeOpenAiUpstream.Call sent = first.chatCalls().get(0);
        assertEquals("Bearer sk-upstream-secret", sent.header("authorization"));
        assertEquals(50L, sent.tokenLimit());
        // the envelope's report: by model and by upstream
        JsonPath report = given().get("/api/a2a/mandates/" + buyer.mandateId() + "/report").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(model, report.getString("bySkill[0].skill"));
    }

    @Test
    void aStreamIsChargedByItsFinalUsageAndEndsWithTheCostTrailer() throws Exception {
        String model = model(first, "stream", Map.of());
        Metered.Buyer buyer = buyer(5_000_000, List.of());
        first.always(UpstreamReply.text("one two three").usage(7, 3));

        ObjectNode job = job(buyer, chat(model, "count").put("max_tokens", 40).put("stream", true));
        job.put("stream", true).put("raw", true);
        JsonNode r = only(OpenAiClient.run(job));

        assertTrue(r.get("ok").asBoolean(), r.toString());
        long price = cost(7, 3, IN, OUT);
        assertEquals(price, spent(buyer.mandateId()));
        String comments = r.get("comments").toString();
        assertTrue(comments.contains("X-Purser-Cost: " + price), comments);
        assertTrue(r.get("done").asBoolean(), "the stream ends with [DONE]");
        // Purser asked for the usage chunk; the caller did not, so it does not see it
        FakeOpenAiUpstream.Call sent = first.chatCalls().get(0);
        assertTrue(sent.body().at("/stream_options/include_usage").asBoolean());
        assertEquals(40L, sent.tokenLimit());
        assertEquals(1, audit(buyer).size());
    }

    @Test
    void aCallWhoseWorstCaseDoesNotFitIsRefused402BeforeAnyUpstreamCallNamingTheAffordableMaxTokens() {
        String model = model(first, "poor", Map.of());
        long budget = 300;
        Metered.Buyer buyer = buyer(budget, List.of());
        ObjectNode request = chat(model, "write a novel").put("max_tokens", 1_000_000);

        JsonNode r = call(buyer, request);

        assertFalse(r.get("ok").asBoolean());
        JsonNode e = r.get("error");
        assertEquals(402, e.get("status").asInt(), e.toString());
        assertEquals("insufficient_budget", e.get("type").asText());
        assertEquals("insufficient_budget", e.get("code").asText());
        Matcher m = Pattern.compile("max_tokens is (\\d+)").matcher(e.get("message").asText());
        assertTrue(m.find(), e.get("message").asText());
        long affordable = Long.parseLong(m.group(1));
        long in = Metered.inputBound(request.get("messages"));
        assertTrue(cost(in, affordable, IN, OUT) <= budget);
        assertTrue(cost(in, affordable + 1, IN, OUT) > budget, "the largest that fits");
        assertEquals(List.of(), first.chatCalls(), "no upstream was asked");
        assertEquals(0, spent(buyer.mandateId()));
        assertEquals(0, reserved(buyer.mandateId()));

        // and that many tokens do go through
        first.always(UpstreamReply.ok().usage(1, 1));
        JsonNode ok = call(buyer, chat(model, "write a novel").put("max_tokens", affordable));
        assertTrue(ok.get("ok").asBoolean(), ok.toString());
    }

    @Test
    void theUpstreamIsNeverAskedForMoreTokensThanWereReserved() {
        String model = model(first, "bounded", Map.of("maxOutput", 64));
        Metered.Buyer buyer = buyer(5_000_000, List.of());
        first.always(UpstreamReply.ok().usage(5, 5));

        assertTrue(call(buyer, chat(model, "no limit given")).get("ok").asBoolean());
        assertTrue(call(buyer, chat(model, "a limit").put("max_completion_tokens", 9))
                .get("ok").asBoolean());
        assertTrue(call(buyer, chat(model, "two choices").put("max_tokens", 8).put("n", 2))
                .get("ok").asBoolean());

        List<FakeOpenAiUpstream.Call> calls = first.chatCalls();
        assertEquals(64L, calls.get(0).tokenLimit(), "the model's maxOutput when none is asked");
        assertEquals(9L, calls.get(1).tokenLimit());
        assertEquals(9L, calls.get(1).body().get("max_completion_tokens").asLong());
        assertEquals(8L, calls.get(2).tokenLimit());
    }

    @Test
    void aFailingUpstreamFailsOverToTheNextWithOneCharge() throws Exception {
        String model = modelId("failover");
        upstream(first.baseUrl(), Map.of(model, prices(IN, OUT)));
        upstream(second.baseUrl(), Map.of(model, prices(IN + 1, OUT + 1)));
        Metered.Buyer buyer = buyer(5_000_000, List.of());
        first.always(UpstreamReply.fail(500));
        second.always(UpstreamReply.text("from the second").usage(10, 10));

        JsonNode r = call(buyer, chat(model, "hello").put("max_tokens", 20));

        assertTrue(r.get("ok").asBoolean(), r.toString());
        assertEquals("from the second", r.at("/response/choices/0/message/content").asText());
        assertEquals(1, first.chatCalls().size());
        assertEquals(1, second.chatCalls().size());
        long price = cost(10, 10, IN + 1, OUT + 1);
        assertEquals(price, spent(buyer.mandateId()));
        assertEquals(1, audit(buyer).size(), "one charge");
        JsonPath report = given().get("/api/a2a/mandates/" + buyer.mandateId() + "/report").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(1, report.getList("byProvider").size());
        assertTrue(report.getString("byProvider[0].provider").length() > 0);
    }

    @Test
    void everyUpstreamFailingChargesNothing() throws Exception {
        String model = modelId("broken");
        upstream(first.baseUrl(), Map.of(model, prices(IN, OUT)));
        upstream(second.baseUrl(), Map.of(model, prices(IN, OUT)));
        Metered.Buyer buyer = buyer(5_000_000, List.of());
        first.always(UpstreamReply.fail(503));
        second.always(UpstreamReply.dropConnection());

        JsonNode r = call(buyer, chat(model, "hello").put("max_tokens", 20));

        assertFalse(r.get("ok").asBoolean());
        assertEquals(502, r.at("/error/status").asInt(), r.toString());
        assertEquals("upstream_failed", r.at("/error/code").asText());
        assertEquals(0, spent(buyer.mandateId()));
        assertEquals(0, reserved(buyer.mandateId()));
        assertEquals(0, audit(buyer).size());

        // a stream too: nothing reached the caller, nothing is charged
        JsonNode s = only(OpenAiClient.run(job(buyer, chat(model, "hello").put("stream", true))
                .put("stream", true)));
        assertFalse(s.get("ok").asBoolean());
        assertEquals(502, s.at("/error/status").asInt(), s.toString());
        assertEquals(0, spent(buyer.mandateId()));
    }

    @Test
    void aStreamCutAfterItsFirstByteEndsWithAnErrorEventAndIsChargedTheReservation()
            throws Exception {
        String model = model(first, "cut", Map.of());
        Metered.Buyer buyer = buyer(5_000_000, List.of());
        // spaced chunks: the cut must come after the caller had some, not race them
        first.always(UpstreamReply.text("one two three four").slowChunks(50).cutStream(3));
        ObjectNode request = chat(model, "count").put("max_tokens", 25).put("stream", true);

        JsonNode r = only(OpenAiClient.run(job(buyer, request.deepCopy()).put("stream", true)));

        assertFalse(r.get("ok").asBoolean(), r.toString());
        assertEquals("APIError", r.at("/error/class").asText(), "an SSE error event");
        assertEquals("upstream_failed", r.at("/error/code").asText(), r.toString());
        assertTrue(r.get("chunks").size() > 0, "the caller had the first chunks: " + r);
        long reservation = cost(Metered.inputBound(request.get("messages")), 25, IN, OUT);
        assertEquals(reservation, spent(buyer.mandateId()), "no usage seen: the reservation");
        assertEquals(0, reserved(buyer.mandateId()));
        assertEquals(1, first.chatCalls().size(), "no failover once the caller had bytes");
        assertEquals(1, audit(buyer).size());
    }

    @Test
    void anUpstreamThatNeverAnswersTimesOut504AndChargesNothing() throws Exception {
        String model = model(first, "slow", Map.of());
        Metered.Buyer buyer = buyer(5_000_000, List.of());
        first.always(UpstreamReply.hang());

        JsonNode r = call(buyer, chat(model, "hello").put("max_tokens", 5));

        assertEquals(504, r.at("/error/status").asInt(), r.toString());
        assertEquals("upstream_timeout", r.at("/error/code").asText());
        assertEquals(0, spent(buyer.mandateId()));
        assertEquals(0, reserved(buyer.mandateId()));
    }

    @Test
    void aCacheHitIsFree() throws Exception {
        String model = model(first, "cached", Map.of("cacheTtl", "10m"));
        Metered.Buyer buyer = buyer(5_000_000, List.of());
        first.always(UpstreamReply.text("cached answer").usage(4, 4));
        ObjectNode request = chat(model, "same question").put("temperature", 0).put("max_tokens", 10);

        JsonNode paid = call(buyer, request.deepCopy());
        JsonNode hit = call(buyer, request.deepCopy());

        assertTrue(hit.get("ok").asBoolean(), hit.toString());
        assertEquals("cached answer", hit.at("/response/choices/0/message/content").asText());
        assertEquals("hit", hit.at("/headers/x-purser-cache").asText());
        assertEquals("0", hit.at("/headers/x-purser-cost").asText());
        assertFalse(paid.get("headers").has("x-purser-cache"));
        assertEquals(1, first.chatCalls().size(), "the upstream was asked once");
        assertEquals(cost(4, 4, IN, OUT), spent(buyer.mandateId()));
    }

    @Test
    void aRevokedKeyIsRefused401() {
        String model = model(first, "revoked", Map.of());
        Metered.Buyer buyer = buyer(5_000_000, List.of());
        given().contentType("application/json").body(buyer.keyDocument())
                .delete("/api/a2a/mandates/" + buyer.mandateId() + "/keys/" + buyer.keyId())
                .then().statusCode(200);

        JsonNode r = call(buyer, chat(model, "hello"));

        assertEquals(401, r.at("/error/status").asInt(), r.toString());
        assertEquals("invalid_api_key", r.at("/error/code").asText());
        assertEquals(List.of(), first.chatCalls());
    }

    @Test
    void aModelOutsideTheMandatesSkillsIsRefused403() {
        String model = model(first, "forbidden", Map.of());
        Metered.Buyer buyer = buyer(5_000_000, List.of("some-other-model"));

        JsonNode r = call(buyer, chat(model, "hello"));

        assertEquals(403, r.at("/error/status").asInt(), r.toString());
        assertEquals("model_not_allowed", r.at("/error/code").asText());
        assertEquals(List.of(), first.chatCalls());
        assertEquals(0, reserved(buyer.mandateId()));
    }

    @Test
    void anUnknownModelIs404AndTheModelsListNamesTheServedOnes() {
        String model = model(first, "listed", Map.of());
        Metered.Buyer buyer = buyer(5_000_000, List.of());

        JsonNode r = call(buyer, chat("no-such-model", "hello"));
        assertEquals(404, r.at("/error/status").asInt(), r.toString());
        assertEquals("model_not_found", r.at("/error/code").asText());

        ObjectNode list = Metered.JSON.createObjectNode().put("baseURL", Metered.base())
                .put("apiKey", buyer.secret()).put("listModels", true);
        JsonNode models = only(OpenAiClient.run(list));
        assertTrue(models.get("models").toString().contains(model), models.toString());
    }

    private List<Receipt> audit(Metered.Buyer buyer) throws Exception {
        JsonPath e = Metered.envelope(buyer.mandateId());
        return LedgerAudit.overHttp(Bytes32.fromHex(buyer.mandateId()),
                Long.parseLong(e.getString("spent")), Long.parseLong(e.getString("reserved")),
                Long.parseLong(e.getString("remaining")), envelopes.chainId(),
                envelopes.receiptSigner());
    }
}
