package dev.purser.delegation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.ServerKey;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Receipt;
import dev.purser.testing.A2aJsAgent;
import dev.purser.testing.LedgerAudit;
import dev.purser.x402.EmbeddedFacilitator;
import dev.purser.x402.Payer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many buyers at once (issue 14): 32 buyers buy one paid remote service offered by three
 * {@code @a2a-js/sdk} agents at the same listed price, each asking its own x402 payment, one of
 * them failing every task. Half the buyers draw from a mandate whose budget covers one of their
 * two purchases; some pin the failing provider. Whatever the interleaving: every completed task
 * paid its provider exactly once, no failed task charged anyone, and every envelope balances with
 * an intact hash chain.
 */
@QuarkusTest
@TestProfile(DelegationProfile.class)
class DelegationConcurrencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SKILL = "crowd";
    private static final int BUYERS = 32;
    /** What each agent asks (and the operator lists); the buyer pays this plus the fee. */
    private static final long PROVIDER_PRICE = 500;
    private static final long QUOTE = 700;
    /** Covers one purchase of a mandate buyer's two. */
    private static final long BUDGET = 1000;

    @Inject
    DataSource db;

    @Inject
    Envelopes envelopes;

    @ConfigProperty(name = "purser.data-dir")
    String dataDir;

    private final Fleet fleet = new Fleet();

    @AfterEach
    void cleanUp() {
        fleet.close();
    }

    /** One purchase as the buyer saw it. */
    private record Bought(int buyer, int n, boolean pinnedToFailing, Task task) {
    }

    /** An agent, its registered provider id and its payee. */
    private record Provider(A2aJsAgent agent, String id, String payTo) {
    }

    private Provider provider(String name) {
        byte[] payee = new byte[20];
        new SecureRandom().nextBytes(payee); // never the operator's address
        String payTo = "0x" + HexFormat.of().formatHex(payee);
        A2aJsAgent agent = fleet.start(A2aJsAgent.Settings.echo().named(name)
                .priced(PROVIDER_PRICE, payTo), SKILL);
        String id = fleet.register(agent, ", \"fee\": {\"amount\": \"" + (QUOTE - PROVIDER_PRICE)
                + "\"}, \"skills\": {\"" + SKILL + "\": {\"price\": \"" + PROVIDER_PRICE + "\"}}");
        return new Provider(agent, id, payTo);
    }

    @Test
    void concurrentDelegatedPurchasesPayEachProviderOnceAndChargeNothingForFailures()
            throws Exception {
        // Untried offers of one price rank by offer id: the first one fails every task, so that
        // the crowd's first tasks try it first and fail over (until its breaker opens).
        List<Provider> three = new ArrayList<>(List.of(provider("crowd a"), provider("crowd b"),
                provider("crowd c")));
        three.sort(Comparator.comparing(p -> p.id() + ":" + SKILL));
        Provider broken = three.get(0);
        Provider one = three.get(1);
        Provider two = three.get(2);
        broken.agent().configure(Map.of("fail", true));
        List<Buyer> buyers = new ArrayList<>();
        Map<Integer, Envelope> envelopeOf = new HashMap<>();
        for (int i = 0; i < BUYERS; i++) {
            Buyer b = new Buyer();
            buyers.add(b);
            if (i % 2 == 0) {
                envelopeOf.put(i, b.openEnvelope(envelopes, BUDGET));
            }
        }

        List<Bought> bought = buyAtOnce(buyers, envelopeOf, broken.id());

        String operator = ServerKey.loadOrCreate(Path.of(dataDir),
                EmbeddedFacilitator.OPERATOR_KEY_FILE).address().lowerHex();
        Map<String, Set<String>> attemptedNonces = new HashMap<>();
        for (Bought b : bought) {
            Task t = b.task();
            JsonNode d = t.metadata() == null ? null : t.metadata().get("purser.delegation");
            if (d != null) {
                for (JsonNode a : d.get("attempts")) {
                    String p = a.get("provider").asText();
                    assertTrue(attemptedNonces.computeIfAbsent(p, k -> new HashSet<>())
                            .add(Payer.nonceFor(t.id(), p).hex().toLowerCase()),
                            "one attempt per task and provider: " + d);
                    if (p.equals(broken.id())) {
                        assertNotEquals("completed", a.get("outcome").asText(), d::toString);
                    }
                }
            }
            List<String> rows = payments(t.id());
            if (t.state() == TaskState.COMPLETED) {
                String served = d.get("provider").asText();
                assertTrue(served.equals(one.id()) || served.equals(two.id()), d::toString);
                assertEquals(List.of(buyers.get(b.buyer()).payer.address().lowerHex() + " " + QUOTE
                        + " settled"), rows, "the buyer paid the quote once: " + t.id());
            } else {
                assertTrue(rows.stream().noneMatch(r -> r.endsWith(" settled")),
                        "a task that did not complete charged nobody: " + t.id() + " " + rows);
            }
            assertEquals(expected(b, bought), t.state(), () -> b + " " + t.status());
        }

        // Each agent was paid once per attempt routed to it, each payment its own nonce, by the
        // operator key, of its price, to its payee; the working ones once per task they completed.
        for (Provider p : List.of(one, two, broken)) {
            List<JsonNode> paid = p.agent().payments();
            Set<String> nonces = new HashSet<>();
            for (JsonNode payment : paid) {
                JsonNode auth = payment.at("/payload/authorization");
                assertEquals(operator, auth.get("from").asText().toLowerCase());
                assertEquals(p.payTo(), auth.get("to").asText().toLowerCase());
                assertEquals(Long.toString(PROVIDER_PRICE), auth.get("value").asText());
                assertTrue(nonces.add(auth.get("nonce").asText().toLowerCase()), "nonce paid twice");
            }
            assertEquals(attemptedNonces.getOrDefault(p.id(), Set.of()), nonces, p.id());
        }
        long completedByOne = served(bought, one.id());
        long completedByTwo = served(bought, two.id());
        assertEquals(completedByOne, one.agent().payments().size());
        assertEquals(completedByTwo, two.agent().payments().size());
        assertTrue(completedByOne + completedByTwo > 0 && broken.agent().tasks() > 0,
                "the crowd reached both kinds of provider");

        for (Map.Entry<Integer, Envelope> e : envelopeOf.entrySet()) {
            long completed = bought.stream().filter(b -> b.buyer() == e.getKey()
                    && b.task().state() == TaskState.COMPLETED).count();
            Envelope after = envelopes.find(e.getValue().id()).orElseThrow();
            assertEquals(completed * QUOTE, after.spent(), "spent = completed purchases");
            assertEquals(0, after.reserved(), "nothing left reserved");
            assertTrue(after.spent() <= after.budget());
            auditOverHttp(after);
        }
    }

    /**
     * What each purchase must end as: pinned to the failing provider, never completed (failed, or
     * rejected once its breaker opened); a mandate's second purchase, refused when the first spent
     * the budget; every other one completed, by a working provider after any failover.
     */
    private static TaskState expected(Bought b, List<Bought> all) {
        if (b.pinnedToFailing()) {
            return b.task().state() == TaskState.REJECTED ? TaskState.REJECTED : TaskState.FAILED;
        }
        if (b.n() == 1 && all.stream().anyMatch(o -> o.buyer() == b.buyer() && o.n() == 0
                && o.task().state() == TaskState.COMPLETED)) {
            assertEquals("insufficient_budget", b.task().status().message().metadata()
                    .get("purser.reason").asText(), b::toString);
            return TaskState.FAILED;
        }
        return TaskState.COMPLETED;
    }

    /**
     * 32 buyers start together; even ones draw from their envelope and buy twice in a row, odd
     * ones pay directly once; every fourth pins the failing provider on its first purchase.
     */
    private static List<Bought> buyAtOnce(List<Buyer> buyers, Map<Integer, Envelope> envelopeOf,
            String failing) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(buyers.size());
        try {
            List<Future<List<Bought>>> futures = new ArrayList<>();
            for (int i = 0; i < buyers.size(); i++) {
                int buyer = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Bought> mine = new ArrayList<>();
                    Envelope envelope = envelopeOf.get(buyer);
                    for (int n = 0; n < (envelope == null ? 1 : 2); n++) {
                        Map<String, String> md = new HashMap<>();
                        boolean pinned = n == 0 && buyer % 4 >= 2;
                        if (pinned) {
                            md.put("purser.provider", failing);
                        }
                        if (envelope != null) {
                            md.put("purser.mandate_id", envelope.id().hex());
                        }
                        Task t = buyers.get(buyer).buy(Buyer.ask(SKILL, "buyer " + buyer + "/" + n, md),
                                QUOTE, null).task().orElseThrow();
                        mine.add(new Bought(buyer, n, pinned, t));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Bought> all = new ArrayList<>();
            for (Future<List<Bought>> f : futures) {
                all.addAll(f.get(3, TimeUnit.MINUTES)); // a bound on a hang, not a timing claim
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long served(List<Bought> bought, String provider) {
        return bought.stream().filter(b -> b.task().state() == TaskState.COMPLETED
                && provider.equals(b.task().metadata().get("purser.delegation").get("provider")
                        .asText())).count();
    }

    /** "payer amount status" of each x402 payment of the task. */
    private List<String> payments(String taskId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select payer || ' ' || amount || ' ' || status from x402_payment where task_id = ?")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The ledger audited over HTTP (LedgerAudit), with one receipt per purchase. */
    private void auditOverHttp(Envelope envelope) throws Exception {
        List<Receipt> receipts = LedgerAudit.overHttp(envelope.id(), envelope.spent(),
                envelope.reserved(), envelope.remaining(), envelopes.chainId(),
                envelopes.receiptSigner());
        assertEquals(envelope.spent() / QUOTE, receipts.size(), "one receipt per purchase");
    }
}
