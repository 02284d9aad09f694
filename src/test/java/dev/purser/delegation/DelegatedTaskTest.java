package dev.purser.delegation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aCallException;
import dev.purser.a2a.client.PaidResult;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.ServerKey;
import dev.purser.ledger.Envelope;
import dev.purser.market.Candidate;
import dev.purser.market.Outcome;
import dev.purser.market.RouteMode;
import dev.purser.market.Router;
import dev.purser.ledger.EnvelopeSpec;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.OpenResult;
import dev.purser.money.Asset;
import dev.purser.testing.A2aJsAgent;
import dev.purser.x402.EmbeddedFacilitator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delegation end to end on loopback (DESIGN §9): Purser buys from providers it registered — itself
 * over HTTP (its paid echo, over x402) and agents built on the official {@code @a2a-js/sdk}
 * server — routes, pays the provider, fails over, and charges the buyer the quote once.
 */
@QuarkusTest
@TestProfile(DelegationProfile.class)
class DelegatedTaskTest {

    @Inject
    DataSource db;

    @Inject
    Envelopes envelopes;

    @Inject
    ProviderPayments providerPayments;

    @Inject
    Router router;

    @ConfigProperty(name = "purser.data-dir")
    String dataDir;

    private final List<String> providers = new ArrayList<>();
    private final List<A2aJsAgent> agents = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        providers.forEach(Buyer::delete);
        agents.forEach(A2aJsAgent::close);
    }

    private String register(String cardUrl, String extra) {
        String id = Buyer.register("{\"cardUrl\": \"" + cardUrl + "\"" + extra + "}");
        providers.add(id);
        return id;
    }

    private A2aJsAgent agent(A2aJsAgent.Settings settings) {
        A2aJsAgent a = A2aJsAgent.start(settings);
        agents.add(a);
        return a;
    }

    /** An a2a-js agent whose one skill is {@code skill}: a service no local skill shares. */
    private A2aJsAgent agent(A2aJsAgent.Settings settings, String skill) {
        A2aJsAgent a = agent(settings);
        a.configure(Map.of("skill", skill));
        return a;
    }

    /** One x402 payment of a task: who paid, how much, how it stands. */
    private record Payment(String payer, long amount, String status) {
    }

    private List<Payment> payments(String taskId) throws Exception {
        List<Payment> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select payer, amount, status from x402_payment where task_id = ?")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Payment(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    private String operator() {
        return ServerKey.loadOrCreate(Path.of(dataDir), EmbeddedFacilitator.OPERATOR_KEY_FILE)
                .address().lowerHex();
    }

    private static JsonNode delegation(Task t) {
        return t.metadata().get("purser.delegation");
    }

    @Test
    void aPaidSkillOfAPinnedProviderIsBoughtForTheQuoteAndTheProviderIsPaidOnce() throws Exception {
        String self = register(Buyer.base(), ", \"fee\": {\"amount\": \"500\"}");
        Buyer buyer = new Buyer();

        PaidResult r = buyer.buy(Buyer.ask("echo-paid", "resold", Map.of("purser.provider", self)),
                20_000, null);

        Task done = r.task().orElseThrow();
        assertEquals(TaskState.COMPLETED, done.state(), done::toString);
        assertEquals("resold", done.artifacts().getFirst().parts().getFirst().text());
        assertEquals(10_500, r.paid().orElseThrow().amount(), "the quote: provider price + fee");
        JsonNode d = delegation(done);
        assertEquals(self, d.get("provider").asText());
        assertFalse(d.get("cached").asBoolean());
        assertEquals(1, d.get("attempts").size());
        assertEquals("completed", d.at("/attempts/0/outcome").asText());
        String providerTask = d.get("providerTaskId").asText();

        // The buyer paid the quote once; the provider (this Purser, over HTTP) was paid its price
        // once, by the operator key: the fee is the difference.
        List<Payment> bought = payments(done.id());
        assertEquals(List.of(new Payment(buyer.payer.address().lowerHex(), 10_500, "settled")), bought);
        List<Payment> paid = payments(providerTask);
        assertEquals(List.of(new Payment(operator(), 10_000, "settled")), paid);
        // Purser's own record of what it paid for the task: the fee is the rest of the quote.
        List<ProviderPayments.Paid> out = providerPayments.of(done.id());
        assertEquals(1, out.size());
        assertEquals(self, out.getFirst().providerId());
        assertEquals(10_000, out.getFirst().amount());
        assertEquals("settled", out.getFirst().status());
        assertEquals(providerTask, out.getFirst().providerTaskId());
        assertEquals(500, 10_500 - out.getFirst().amount(), "the fee");
    }

    @Test
    void postgresqlRefusesASecondPaymentToOneProviderForOneTask() {
        String task = UUID.randomUUID().toString();
        Bytes32 nonce = Bytes32.fromHex("0x" + "11".repeat(32));
        assertTrue(providerPayments.record(task, "p1", nonce, 100));
        assertFalse(providerPayments.record(task, "p1", nonce, 100), "the same payment again");
        assertFalse(providerPayments.record(task, "p1", Bytes32.fromHex("0x" + "22".repeat(32)), 1),
                "another payment to the same provider for the same task");
        assertTrue(providerPayments.record(task, "p2", nonce, 100), "another provider may be paid");
        assertEquals(2, providerPayments.of(task).size());
    }

    @Test
    void aFreeServiceOfAnA2aJsAgentIsRelayedAsItStreams() throws Exception {
        A2aJsAgent js = agent(A2aJsAgent.Settings.echo().named("js echo"));
        String id = register(js.cardUrl(), "");
        Buyer buyer = new Buyer();
        List<StreamEvent> events = new ArrayList<>();

        PaidResult r = buyer.buy(Buyer.ask("echo", "streamed", Map.of("purser.provider", id)), 0,
                events::add);

        Task streamed = r.task().orElseThrow();
        assertEquals(TaskState.COMPLETED, streamed.state(), streamed::toString);
        assertTrue(r.paid().isEmpty(), "a free service asks no payment");
        Task done = buyer.client.get(buyer.purser.endpoint(), streamed.id(), Buyer.OPTIONS);
        assertTrue(events.size() >= 2, "the buyer saw the task stream: " + events);
        assertEquals(1, js.tasks());
        assertNotNull(delegation(done).get("providerTaskId").asText(null));
    }

    @Test
    void aFailingOfferFailsOverToTheNextWithinTheQuoteAndOnlyTheWorkingOneIsRecorded()
            throws Exception {
        A2aJsAgent broken = agent(A2aJsAgent.Settings.echo().named("broken").failing(), "relay");
        A2aJsAgent working = agent(A2aJsAgent.Settings.echo().named("working"), "relay");
        String skills = ", \"skills\": {\"relay\": {\"price\": \"700\"}}";
        String first = register(broken.cardUrl(), skills);
        String second = register(working.cardUrl(), skills);
        Buyer buyer = new Buyer();

        // Both offers cost 700, so the broken one may come first; either way the buyer gets the
        // working one's answer for the one quote.
        PaidResult r = buyer.buy(Buyer.ask("relay", "failover", Map.of()), 700, null);

        Task done = r.task().orElseThrow();
        List<String> tried = new ArrayList<>();
        delegation(done).get("attempts").forEach(a -> tried.add(a.get("provider").asText() + ":"
                + a.get("outcome").asText().toLowerCase(Locale.ROOT)));
        assertEquals(TaskState.COMPLETED, done.state(), done::toString);
        assertTrue(tried.equals(List.of(second + ":completed"))
                || tried.equals(List.of(first + ":failed", second + ":completed")), tried::toString);
        assertEquals(1, working.tasks());
        assertEquals(List.of(new Payment(buyer.payer.address().lowerHex(), 700, "settled")),
                payments(done.id()));
    }

    @Test
    void whenEveryAttemptFailsTheTaskFailsNamingThemAndNothingIsCharged() throws Exception {
        A2aJsAgent one = agent(A2aJsAgent.Settings.echo().named("one").failing(), "doomed");
        A2aJsAgent two = agent(A2aJsAgent.Settings.echo().named("two").failing(), "doomed");
        String skills = ", \"skills\": {\"doomed\": {\"price\": \"900\"}}";
        String a = register(one.cardUrl(), skills);
        String b = register(two.cardUrl(), skills);
        Buyer buyer = new Buyer();

        PaidResult r = buyer.buy(Buyer.ask("doomed", "doomed", Map.of()), 900, null);

        Task failed = r.task().orElseThrow();
        assertEquals(TaskState.FAILED, failed.state(), failed::toString);
        String said = failed.status().message().text();
        assertTrue(said.contains(a) && said.contains(b), said);
        assertEquals(2, delegation(failed).get("attempts").size());
        assertEquals(List.of(new Payment(buyer.payer.address().lowerHex(), 900, "failed")),
                payments(failed.id()), "the payment was verified, never settled");
    }

    @Test
    void aMandatePaysForADelegatedSkillAndItsBudgetCapsIt() throws Exception {
        A2aJsAgent js = agent(A2aJsAgent.Settings.echo().named("budgeted"), "budgeted");
        register(js.cardUrl(), ", \"skills\": {\"budgeted\": {\"price\": \"700\"}}");
        Buyer buyer = new Buyer();
        Envelope envelope = open(buyer, 1000);
        Map<String, String> drawn = Map.of("purser.mandate_id", envelope.id().hex());

        Task done = buyer.buy(Buyer.ask("budgeted", "one", drawn), 700, null).task().orElseThrow();
        Task refused = buyer.buy(Buyer.ask("budgeted", "two", drawn), 700, null).task().orElseThrow();

        assertEquals(TaskState.COMPLETED, done.state(), done::toString);
        assertEquals(TaskState.FAILED, refused.state(), refused::toString);
        assertEquals("insufficient_budget",
                refused.status().message().metadata().get("purser.reason").asText());
        Envelope after = envelopes.find(envelope.id()).orElseThrow();
        assertEquals(700, after.spent());
        assertEquals(0, after.reserved());
        assertEquals(1, js.tasks(), "the refused purchase never reached the provider");
    }

    @Test
    void theBuyersCancelIsForwardedToTheProvidersTask() throws Exception {
        A2aJsAgent js = agent(A2aJsAgent.Settings.echo().named("slow").slow(Duration.ofSeconds(4)),
                "slow");
        register(js.cardUrl(), "");
        Buyer buyer = new Buyer();
        CompletableFuture<String> taskId = new CompletableFuture<>();
        CompletableFuture<PaidResult> bought = CompletableFuture.supplyAsync(() -> {
            try {
                return buyer.buy(Buyer.ask("slow", "never mind", Map.of()), 0, e -> {
                    if (e instanceof StreamEvent.OfTask t) {
                        taskId.complete(t.task().id());
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        String id = taskId.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 50 && js.tasks() == 0; i++) {
            Thread.sleep(100); // until the provider has the task
        }
        Task canceled = buyer.client.cancel(buyer.purser.endpoint(), id, Buyer.OPTIONS);

        assertEquals(TaskState.CANCELED, canceled.state());
        for (int i = 0; i < 50 && js.cancels() == 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(1, js.cancels(), "the provider's task was canceled too");
        bought.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aDeletedProviderGetsNoNewDelegations() throws Exception {
        A2aJsAgent js = agent(A2aJsAgent.Settings.echo().named("gone"), "gone");
        String id = register(js.cardUrl(), "");
        providers.remove(id);
        Buyer.delete(id);
        Buyer buyer = new Buyer();

        A2aCallException refused = assertThrows(A2aCallException.class,
                () -> buyer.buy(Buyer.ask("gone", "anyone?", Map.of()), 0, null));

        assertEquals(-32602, refused.rpcCode(), refused::getMessage);
        assertTrue(refused.getMessage().contains("names no skill"), refused::getMessage);
        assertEquals(0, js.tasks());
    }

    private Envelope open(Buyer buyer, long budget) {
        byte[] id = new byte[32];
        new SecureRandom().nextBytes(id);
        EnvelopeSpec spec = EnvelopeSpec.root(Bytes32.fromHex("0x" + HexFormat.of().formatHex(id)),
                buyer.payer.address(), buyer.payer.address(),
                Address.of(Asset.BASE_SEPOLIA_USDC.address()), Asset.BASE_SEPOLIA_USDC.network(),
                budget).withLimits(EnvelopeSpec.Limits.NONE);
        return ((OpenResult.Opened) envelopes.open(spec)).envelope();
    }

    @Test
    void aFollowUpMessageGoesToTheSameProviderTask() throws Exception {
        A2aJsAgent js = agent(A2aJsAgent.Settings.echo().named("asking"), "asking");
        register(js.cardUrl(), "");
        Buyer buyer = new Buyer();
        ObjectNode md = JsonNodeFactory.instance.objectNode().put("purser.skill", "asking");
        Message noText = new Message(UUID.randomUUID().toString(), Role.USER,
                List.of(new Part(null, null, null, JsonNodeFactory.instance.objectNode().put("k", 1),
                        null, null, "application/json")), null, null, md, null, null);

        Task asked = buyer.buy(noText, 0, null).task().orElseThrow();
        assertEquals(TaskState.INPUT_REQUIRED, asked.state(), asked::toString);
        assertTrue(asked.status().message().text().contains("text"), asked::toString);
        Message answer = A2aClient.userMessage("the text", null).inTask(asked.id(), asked.contextId());
        Task done = buyer.buy(answer, 0, null).task().orElseThrow();

        assertEquals(TaskState.COMPLETED, done.state(), done::toString);
        assertEquals("the text", done.artifacts().getFirst().parts().getFirst().text());
        assertEquals(1, js.tasks(), "one provider task, continued");
        assertEquals(delegation(asked).get("providerTaskId").asText(),
                delegation(done).get("providerTaskId").asText());
    }

    @Test
    void eachRouteModeChoosesItsOfferAndAQuoteFollowsIt() throws Exception {
        A2aJsAgent cheap = agent(A2aJsAgent.Settings.echo().named("cheap"), "routed");
        A2aJsAgent dear = agent(A2aJsAgent.Settings.echo().named("dear"), "routed");
        String cheapId = register(cheap.cardUrl(), ", \"skills\": {\"routed\": {\"price\": \"600\"}}");
        String dearId = register(dear.cardUrl(), ", \"skills\": {\"routed\": {\"price\": \"800\"}}");
        // History: the cheap offer is slow and fails half the time; the dear one is fast and sure.
        Candidate slow = router.route("routed", RouteMode.COST, Optional.of(cheapId)).getFirst();
        Candidate fast = router.route("routed", RouteMode.COST, Optional.of(dearId)).getFirst();
        router.record(slow, Outcome.COMPLETED, 900);
        router.record(slow, Outcome.FAILED, 900);
        router.record(slow, Outcome.COMPLETED, 900);
        router.record(fast, Outcome.COMPLETED, 10);
        router.record(fast, Outcome.COMPLETED, 10);
        Buyer buyer = new Buyer();

        Map<String, String> served = new java.util.LinkedHashMap<>();
        Map<String, Long> quoted = new java.util.LinkedHashMap<>();
        for (String mode : List.of("cost", "speed", "quality", "balanced")) {
            PaidResult r = buyer.buy(Buyer.ask("routed", mode, Map.of("purser.route", mode)), 800, null);
            Task t = r.task().orElseThrow();
            assertEquals(TaskState.COMPLETED, t.state(), t::toString);
            served.put(mode, delegation(t).get("provider").asText());
            quoted.put(mode, r.paid().orElseThrow().amount());
        }
        Task refused = buyer.buy(Buyer.ask("routed", "x", Map.of("purser.route", "cheapest")), 800,
                null).task().orElseThrow();

        assertEquals(Map.of("cost", cheapId, "speed", dearId, "quality", dearId, "balanced", dearId),
                served);
        assertEquals(Map.of("cost", 600L, "speed", 800L, "quality", 800L, "balanced", 800L), quoted,
                "the quote is the chosen offer's price");
        assertEquals(TaskState.REJECTED, refused.state(), refused::toString);
        assertTrue(refused.status().message().text().contains("purser.route"), refused::toString);
    }
}
