package dev.purser.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.EnvelopeSpec;
import dev.purser.ledger.OpenResult;
import dev.purser.metered.FakeOpenAiUpstream;
import dev.purser.metered.Metered;
import dev.purser.metered.UpstreamReply;
import dev.purser.money.Asset;
import dev.purser.testing.Rpc;
import dev.purser.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The console in a real headless Chromium against the running server and its PostgreSQL. */
@QuarkusTest
@TestProfile(ConsoleProfile.class)
class ConsoleBrowserTest extends BrowserTests {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Envelopes envelopes;

    @Inject
    DataSource db;


    @Test
    void theMarketplaceShowsWhatTheApiLists() {
        browser.consoleErrors();
        browser.open(url("/"));
        assertNoConsoleError("the marketplace");
        JsonPath api = given().get("/api/market/services").then().statusCode(200).extract().jsonPath();
        List<String> ids = api.getList("services.id");
        assertFalse(ids.isEmpty(), "the demo skills are listed");
        assertEquals(ids, browser.all("#services li[data-service]").stream()
                .map(e -> e.getAttribute("data-service")).toList());
        for (int i = 0; i < ids.size(); i++) {
            String amount = api.getString("services[" + i + "].price.amount");
            if (amount != null) {
                String card = browser.find("li[data-service='" + ids.get(i) + "'] .price").getText();
                assertTrue(card.contains(Units.usdc(amount)) && card.contains(amount), card);
            }
            List<String> offers = api.getList("services[" + i + "].offers.provider.id");
            assertEquals(offers.size(), browser.all("li[data-service='" + ids.get(i)
                    + "'] tr[data-offer]").size(), "the offers of " + ids.get(i));
        }
        browser.screenshots("marketplace");

        browser.open(url("/?paid=true&sort=price"));
        List<String> paid = given().get("/api/market/services?paid=true&sort=price").then()
                .statusCode(200).extract().jsonPath().getList("services.id");
        assertEquals(paid, browser.all("#services li[data-service]").stream()
                .map(e -> e.getAttribute("data-service")).toList());
        browser.open(url("/?maxPrice=lots"));
        assertTrue(browser.find("main .notice.bad").getText().contains("maxPrice"));
    }

    @Test
    void theEnvelopePageMatchesTheApiChartsTheSpendAndVerifiesTheChain() throws Exception {
        Address agent = Address.fromBytes(bytes(20));
        Bytes32 id = new Bytes32(bytes(32));
        OpenResult opened = envelopes.open(EnvelopeSpec.root(id, Address.fromBytes(bytes(20)),
                agent, Address.of(Asset.BASE_SEPOLIA_USDC.address()),
                Asset.BASE_SEPOLIA_USDC.network(), 5_000_000).withLimits(EnvelopeSpec.Limits.NONE));
        assertTrue(opened instanceof OpenResult.Opened, opened.toString());
        draw(id, agent, 1_500_000, "first");
        draw(id, agent, 250_000, "second");

        browser.consoleErrors();
        browser.open(url("/envelopes/" + id.hex()));
        browser.waitFor(d -> browser.find("#verify-status").getAttribute("data-result") != null);
        assertNoConsoleError("the envelope page");
        JsonPath env = given().get("/api/a2a/mandates/" + id.hex()).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(env.getString("spent"), browser.find("#env-spent").getAttribute("data-atomic"));
        assertEquals("1750000", env.getString("spent"));
        assertEquals(env.getString("remaining"),
                browser.find("#env-remaining").getAttribute("data-atomic"));
        assertTrue(browser.find("#env-spent").getText().startsWith("1.75"));
        assertEquals("verified", browser.find("#verify-status").getAttribute("data-result"));
        browser.waitFor(d -> browser.find("#spend-chart").getAttribute("data-points") != null);
        // Zero at the opening, then one point per draw.
        assertEquals("3", browser.find("#spend-chart").getAttribute("data-points"));
        browser.waitFor(d -> browser.find("#receipts-status").getAttribute("data-result") != null);
        assertEquals("verified", browser.find("#receipts-status").getAttribute("data-result"),
                browser.find("#receipts-status").getText());
        assertEquals(List.of("verified", "verified"), receiptVerdicts());
        assertRecoversThePublishedVectors();
        assertFalse(browser.all("#spend-chart canvas").isEmpty(), "uPlot drew its canvas");
        browser.screenshots("envelope");

        // Alter one captured entry's amount directly in PostgreSQL: its hash no longer matches.
        JsonPath ledger = given().get("/api/a2a/mandates/" + id.hex() + "/ledger").then()
                .statusCode(200).extract().jsonPath();
        int capture = ledger.getList("entries.type").lastIndexOf("capture");
        long seq = ledger.getLong("entries[" + capture + "].seq");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update journal_entry set doc = replace(doc, '\"amount\":\"250000\"',"
                        + " '\"amount\":\"250001\"') where envelope_id = ? and seq = ?")) {
            ps.setString(1, id.hex());
            ps.setLong(2, seq);
            assertEquals(1, ps.executeUpdate());
        }
        browser.open(url("/envelopes/" + id.hex()));
        browser.waitFor(d -> browser.find("#verify-status").getAttribute("data-result") != null);
        assertEquals("broken", browser.find("#verify-status").getAttribute("data-result"));
        assertEquals(Long.toString(seq),
                browser.find("#verify-status").getAttribute("data-broken-seq"));
        assertTrue(browser.find("#verify-status").getText()
                .contains("broken at entry " + seq), browser.find("#verify-status").getText());
        assertTrue(browser.find("#ledger tr[data-seq='" + seq + "']").getAttribute("class")
                .contains("broken"));

        // Alter the first receipt's signature directly in PostgreSQL: its signer no longer
        // recovers as the card's receiptSigner, and the page says so at that receipt only.
        String entryHash = ledger.getString("receipts[0].entryHash");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update receipt set signature = overlay(signature placing"
                        + " (case when substr(signature, 3, 1) = '7' then '6' else '7' end)"
                        + " from 3 for 1) where envelope_id = ? and entry_hash = ?")) {
            ps.setString(1, id.hex());
            ps.setString(2, entryHash);
            assertEquals(1, ps.executeUpdate());
        }
        browser.consoleErrors();
        browser.open(url("/envelopes/" + id.hex()));
        browser.waitFor(d -> browser.find("#receipts-status").getAttribute("data-result") != null);
        assertNoConsoleError("the envelope page with an altered receipt");
        assertEquals("unverified", browser.find("#receipts-status").getAttribute("data-result"));
        String altered = "#receipts tr[data-entry='" + entryHash + "']";
        assertEquals("unverified", browser.find(altered).getAttribute("data-verdict"));
        assertTrue(browser.find(altered + " .signer-check").getText().startsWith("✗ not verified"),
                browser.find(altered + " .signer-check").getText());
        assertEquals(List.of("unverified", "verified"), receiptVerdicts());
        browser.screenshots("envelope-broken");
    }

    @Test
    void operatorFormsActWithTheTokenAndAreRefusedWithoutIt() {
        browser.consoleErrors();
        browser.open(url("/providers"));
        assertNoConsoleError("the providers page");
        browser.find("#reg-card").sendKeys(url("/"));
        browser.find("#register button").click();
        assertEquals("401", operatorAnswer());

        browser.find("#op-token").sendKeys("not-the-token");
        browser.find("#register button").click();
        assertEquals("401", operatorAnswer());

        browser.find("#op-token").clear();
        browser.find("#op-token").sendKeys(ConsoleProfile.TOKEN);
        browser.find("#register button").click();
        String status = operatorAnswer();
        assertTrue(status.equals("201") || status.equals("200"), status);
        String href = browser.find("#op-result a").getAttribute("href");
        String providerId = href.substring(href.lastIndexOf('/') + 1);
        given().get("/api/market/providers/" + providerId).then().statusCode(200);
        browser.screenshots("providers");

        attempts(providerId, new String[] {"completed", "failed", "completed"}, new long[] {120, 900, 80});
        JsonPath history = given().get("/api/market/providers/" + providerId + "/history").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("completed", "failed", "completed"), history.getList("attempts.outcome"));
        assertEquals(List.of(80, 900, 120), history.getList("attempts.ms"), "newest first");
        given().get("/api/market/providers/" + providerId + "/history?limit=0").then().statusCode(400);
        given().get("/api/market/providers/nobody/history").then().statusCode(404);

        browser.consoleErrors();
        browser.open(url("/providers/" + providerId));
        browser.waitFor(d -> browser.find("#history-chart").getAttribute("data-points"));
        assertNoConsoleError("the provider page");
        assertTrue(browser.find("#provider-facts").getText().contains(providerId));
        assertEquals("3", browser.find("#history-chart").getAttribute("data-points"));
        assertFalse(browser.all("#history-chart canvas").isEmpty(), "uPlot drew its canvas");
        assertEquals(history.getList("attempts.outcome"), browser.all("#history tr[data-outcome]")
                .stream().map(e -> e.getAttribute("data-outcome")).toList());
        browser.screenshots("provider");
        browser.find("#remove button").click();
        assertEquals("401", operatorAnswer());
        given().get("/api/market/providers/" + providerId).then().statusCode(200);
        browser.find("#op-token").sendKeys(ConsoleProfile.TOKEN);
        browser.find("#refresh button").click();
        assertEquals("200", operatorAnswer());
        browser.find("#remove button").click();
        assertEquals("200", operatorAnswer());
        given().get("/api/market/providers").then().statusCode(200)
                .extract().jsonPath().getList("providers.id").forEach(p ->
                        assertFalse(p.equals(providerId), "the removed provider is not listed"));
    }

    @Test
    void modelsAreListedAndTheEnvelopeShowsSpendByModelAfterAMeteredCall() {
        String model = "console-model-" + new Bytes32(bytes(32)).hex().substring(2, 10);
        try (FakeOpenAiUpstream up = FakeOpenAiUpstream.start(model)) {
            up.always(UpstreamReply.text("four").usage(10, 20));
            ObjectNode body = new ObjectMapper().createObjectNode().put("baseUrl", up.baseUrl());
            body.putObject("models").putObject(model).put("input", "2500000")
                    .put("output", "10000000").put("maxOutput", 4096);
            String upstream = given().header("Authorization", "Bearer " + ConsoleProfile.TOKEN)
                    .contentType("application/json").body(body.toString())
                    .post("/api/market/models").then().statusCode(201).extract().path("id");

            browser.consoleErrors();
            browser.open(url("/"));
            assertNoConsoleError("the marketplace with a model");
            JsonPath api = given().get("/api/market/services").then().statusCode(200).extract()
                    .jsonPath();
            assertEquals(api.getList("services.id"), browser.all("#services li[data-service]")
                    .stream().map(e -> e.getAttribute("data-service")).toList());
            assertTrue(api.getList("services.kind").contains("skill"), "skills are listed too");
            String card = "li[data-service='" + model + "']";
            assertEquals("model", browser.find(card).getAttribute("data-kind"));
            String price = browser.find(card + " .price").getText();
            assertTrue(price.contains("2.50 in") && price.contains("10.00 out")
                    && price.contains("2500000 / 10000000 atomic per 1M tokens")
                    && price.contains("max output 4096"), price);
            assertEquals(List.of(upstream), browser.all(card + " tr[data-offer]").stream()
                    .map(e -> e.getAttribute("data-offer")).toList());
            browser.open(url("/?kind=model"));
            assertEquals(given().get("/api/market/services?kind=model").then().statusCode(200)
                    .extract().jsonPath().getList("services.id"),
                    browser.all("#services li[data-service]").stream()
                            .map(e -> e.getAttribute("data-service")).toList());
            browser.screenshots("marketplace-models");

            Metered.Buyer buyer = Metered.buyer(5_000_000, List.of());
            ObjectNode chat = new ObjectMapper().createObjectNode().put("model", model)
                    .put("max_tokens", 50);
            chat.putArray("messages").addObject().put("role", "user").put("content", "2 + 2?");
            given().header("Authorization", "Bearer " + buyer.secret())
                    .contentType("application/json").body(chat.toString())
                    .post("/v1/chat/completions").then().statusCode(200);

            JsonPath report = given().get("/api/a2a/mandates/" + buyer.mandateId() + "/report")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(model, report.getString("bySkill[0].skill"));
            browser.consoleErrors();
            browser.open(url("/envelopes/" + buyer.mandateId()));
            browser.waitFor(d -> browser.find("#verify-status").getAttribute("data-result") != null);
            assertNoConsoleError("the envelope page after a metered call");
            assertEquals(report.getString("bySkill[0].spent"), browser.find("#by-skill tr[data-key='"
                    + model + "'] .spent").getAttribute("data-atomic"));
            // (10 × 2500000 + 20 × 10000000) / 1M tokens = 225 atomic units
            assertEquals("225", report.getString("bySkill[0].spent"));
            String provider = report.getString("byProvider[0].provider");
            assertEquals(report.getString("byProvider[0].spent"), browser.find("#by-provider tr[data-key='"
                    + provider + "'] .spent").getAttribute("data-atomic"));
            browser.screenshots("envelope-models");
            JsonPath tried = given().get("/api/market/models/" + upstream + "/history").then()
                    .statusCode(200).extract().jsonPath();
            assertEquals(List.of(model), tried.getList("attempts.model"));
            assertEquals(List.of("completed"), tried.getList("attempts.outcome"));
        }
    }


    @Test
    void theTaskPageShowsWhatGetTaskShowsTheSameCaller() {
        Rpc rpc = Rpc.v10();
        String id = rpc.call("SendMessage", java.util.Map.of("message", rpc.textMessage("hello")))
                .getString("result.task.id");
        JsonPath api = rpc.call("GetTask", java.util.Map.of("id", id));
        browser.consoleErrors();
        browser.open(url("/tasks"));
        browser.screenshots("find-task");
        browser.find("#find-task").sendKeys(id);
        browser.find(".find-task button").click();
        browser.waitFor(d -> !browser.all("#task-state").isEmpty());
        assertNoConsoleError("the task page");
        assertEquals(id, browser.find("#task-id").getText());
        assertEquals(api.getString("result.status.state"),
                browser.find("#task-state").getAttribute("data-state"));
        assertEquals(api.getList("result.history").size(),
                browser.all("#task-history li[data-role]").size());
        assertTrue(browser.find("#delegation").getText().contains("not delegated"));
        browser.screenshots("task");

        // Someone else's task: the API answers task-not-found to an anonymous caller, so does the page.
        Rpc someone = Rpc.v10().as("0x" + "ab".repeat(20));
        String theirs = someone.call("SendMessage", java.util.Map.of("message",
                someone.textMessage("mine"))).getString("result.task.id");
        assertEquals(-32001, rpc.call("GetTask", java.util.Map.of("id", theirs)).getInt("error.code"));
        browser.open(url("/tasks/" + theirs));
        assertTrue(browser.all("#task-state").isEmpty(), "nothing of the task is shown");
        assertTrue(browser.find("main").getText().contains("an anonymous caller can see"),
                browser.find("main").getText());
        given().get("/tasks/" + theirs).then().statusCode(404);
        browser.screenshots("task-hidden");
    }

    /** Each receipt row's verdict, in page order, once receipts.js has given them all. */
    private List<String> receiptVerdicts() {
        return browser.all("#receipts tr[data-entry]").stream()
                .map(e -> e.getAttribute("data-verdict")).toList();
    }

    /**
     * The page's EIP-712 hashing and signer recovery against spec/vectors.md §4 (an EIP-3009
     * authorization signed by Anvil account #0) and §5 (its high-s twin, refused).
     */
    private void assertRecoversThePublishedVectors() {
        String vector = "var R = window.PurserReceipts;"
                + " var types = {EIP712Domain: [{name: 'name', type: 'string'},"
                + " {name: 'version', type: 'string'}, {name: 'chainId', type: 'uint256'},"
                + " {name: 'verifyingContract', type: 'address'}],"
                + " TransferWithAuthorization: [{name: 'from', type: 'address'},"
                + " {name: 'to', type: 'address'}, {name: 'value', type: 'uint256'},"
                + " {name: 'validAfter', type: 'uint256'}, {name: 'validBefore', type: 'uint256'},"
                + " {name: 'nonce', type: 'bytes32'}]};"
                + " var d = R.typedDataDigest(types, 'TransferWithAuthorization', {name: 'USDC',"
                + " version: '2', chainId: 84532,"
                + " verifyingContract: '0x036CbD53842c5426634e7929541eC2318f3dCF7e'},"
                + " {from: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',"
                + " to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: '10000',"
                + " validAfter: '1740672089', validBefore: '1740672154',"
                + " nonce: '0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480'});"
                + " var rs = '0x6f561d84da69dea3bf562f243b08ec7d3b6b140f7466c7c797d2a24554ed477b';"
                + " var twin = null;"
                + " try { R.recoverSigner(d, rs + '9f4fc8e622541b88cdb9891d1218c787f2007a2893426f84641c6e3bdbab1f6a1b'); }"
                + " catch (e) { twin = e.message; }"
                + " return [R.hex(d), R.recoverSigner(d, rs"
                + " + '60b03719ddabe477324676e2ede73876c8ae62be1c0630b75bb5f050f48b21d71c'), twin];";
        assertEquals(List.of("0xdd936365f5320446e7317e2ff2a02257f642c4528ebbb626575491ff58f0366d",
                "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
                "the signature's s is high (a malleable twin)"), browser.js(vector));
    }

    /** Stores routed attempts at the provider's first offer, oldest first, a second apart. */
    private void attempts(String providerId, String[] outcomes, long[] ms) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into market_attempt (offer_id, outcome, ms, at) select id, ?, ?,"
                        + " now() - make_interval(secs => ?) from market_offer where provider_id = ?"
                        + " order by id limit 1")) {
            for (int i = 0; i < outcomes.length; i++) {
                ps.setString(1, outcomes[i]);
                ps.setLong(2, ms[i]);
                ps.setInt(3, outcomes.length - i);
                ps.setString(4, providerId);
                assertEquals(1, ps.executeUpdate());
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the operator form's answer and returns its HTTP status; then clears it. */
    private String operatorAnswer() {
        String status = browser.waitFor(d -> browser.find("#op-result").getAttribute("data-status"));
        browser.js("document.getElementById('op-result').removeAttribute('data-status')");
        return status;
    }

    private static void draw(Bytes32 id, Address agent, long amount, String memo) {
        ObjectNode draw = new ObjectMapper().createObjectNode();
        draw.put("mandateId", id.hex());
        draw.put("amount", Long.toString(amount));
        draw.put("idempotencyKey", new Bytes32(bytes(32)).hex());
        draw.put("memo", memo);
        draw.put("deadline", System.currentTimeMillis() / 1000 + 600);
        given().contentType("application/json")
                .header("Authorization", Tokens.bearer(agent.checksummed()))
                .body(new ObjectMapper().createObjectNode().set("draw", draw).toString())
                .post("/api/a2a/mandates/" + id.hex() + "/use").then().statusCode(200);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
