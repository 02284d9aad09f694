package dev.purser.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.a2a.client.A2aCallException;
import dev.purser.a2a.client.AgentEndpoint;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.AppProcess;
import dev.purser.testing.PaidBuyer;
import dev.purser.testing.Rpc;
import dev.purser.testing.Sse;
import dev.purser.testing.Webhook;
import dev.purser.x402.Payer;
import io.restassured.RestAssured;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three Purser processes on one PostgreSQL (issue 19, several instances): signed mandate draws
 * spread over all three and x402 paid tasks asked of one instance and paid at another run at once;
 * midway the third instance dies (kill -9 by its fault point) while it runs a paid task that has
 * a push config and a subscriber on another instance. The survivors finish that task (their
 * reconciler settles its stored work), its subscriber's stream goes on to the end, its push
 * notification of the end comes from a survivor, and every invariant holds: no overspend, each
 * idempotency key drawn once, each authorization settled once, nothing left reserved, every
 * journal's hash chain intact.
 */
class ThreeInstancesIT {

    private static final int CLIENTS = 24;
    private static final int BUYERS = 4;
    private static final int TASKS_PER_BUYER = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * Small clocks, so a survivor takes a dead instance's payment and push claims up in seconds;
     * not so small that a live instance's work, slowed by a loaded machine, is taken for dead.
     */
    private static final Map<String, String> CLOCKS = Map.of("PURSER_WORK_STALE", "5s",
            "PURSER_RECONCILE_INTERVAL", "1s", "PURSER_SETTLE_TIMEOUT", "1s",
            "PURSER_SETTLING_STALE", "5s", "PURSER_PUSH_ALLOW_PRIVATE", "true",
            "PURSER_PUSH_BACKOFF", "200ms", "PURSER_PUSH_TIMEOUT", "2s", "PURSER_GUARD_LOOP", "0");
    private static final String TTL = "10s";

    @Test
    void threeInstancesWithOneKilledMidRunKeepEveryInvariantAndTheSurvivorsFinishItsWork()
            throws Exception {
        try (PurserCluster cluster = new PurserCluster(); Webhook hook = Webhook.start(0)) {
            AppProcess a = cluster.start("a", TTL, CLOCKS);
            AppProcess b = cluster.start("b", TTL, CLOCKS);
            Map<String, String> armed = new java.util.HashMap<>(CLOCKS);
            armed.put("PURSER_FAULT_POINT", "after-work");
            AppProcess c = cluster.start("c", TTL, armed);
            List<AppProcess> all = List.of(a, b, c);
            RestAssured.port = a.port();

            // Direct draws on one envelope, each key sent to two instances by two threads.
            Secp256k1Key agent = Secp256k1Key.generate(new SecureRandom());
            long budget = 40_000;
            Envelope e = cluster.open(agent.address(), budget);
            List<Bytes32> keys = Ledgers.randomIds(300);
            Map<Bytes32, Long> succeeded = new ConcurrentHashMap<>();
            Map<Bytes32, Long> unknown = new ConcurrentHashMap<>();
            CountDownLatch halfway = new CountDownLatch(150);
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + BUYERS);
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int thread = t;
                clients.add(pool.submit(() -> {
                    for (int i = thread; i < keys.size() * 2; i += CLIENTS) {
                        int k = i % keys.size();
                        AppProcess to = all.get((i / keys.size() + thread) % 3);
                        Optional<HttpResponse<String>> r = cluster.use(to.port(), agent, e.id(),
                                LedgerCrashIT.amountOf(k), keys.get(k));
                        if (r.isEmpty()) {
                            unknown.put(keys.get(k), LedgerCrashIT.amountOf(k)); // died under it
                            continue;
                        }
                        halfway.countDown();
                        switch (r.get().statusCode()) {
                            case 200 -> succeeded.put(keys.get(k),
                                    LedgerCrashIT.receiptAmount(r.get().body()));
                            case 402, 409 -> refused.incrementAndGet();
                            default -> throw new AssertionError(r.get().statusCode() + " "
                                    + r.get().body());
                        }
                    }
                    return null;
                }));
            }

            // Paid tasks on the survivors-to-be: asked of one, paid at the other.
            List<PaidBuyer> buyers = new ArrayList<>();
            for (int i = 0; i < BUYERS; i++) {
                buyers.add(PaidBuyer.withMandate(1_000_000));
            }
            Map<Bytes32, Task> paid = new ConcurrentHashMap<>();
            List<Future<?>> paying = new ArrayList<>();
            for (int i = 0; i < BUYERS; i++) {
                PaidBuyer buyer = buyers.get(i);
                int first = i;
                paying.add(pool.submit(() -> {
                    for (int n = 0; n < TASKS_PER_BUYER; n++) {
                        AgentEndpoint ask = buyer.endpoint(all.get((first + n) % 2).baseUrl());
                        AgentEndpoint pay = buyer.endpoint(all.get((first + n + 1) % 2).baseUrl());
                        Task asked = buyer.ask(ask, "echo-paid", "paid " + n);
                        Payer.Signed signed = buyer.sign(asked);
                        Task done = buyer.pay(pay, asked, signed);
                        paid.put(signed.nonce(), done);
                    }
                    return null;
                }));
            }

            assertTrue(halfway.await(120, TimeUnit.SECONDS), "draws were being answered");
            // The victim: a paid task on C with a push config, followed from B.
            PaidBuyer victimBuyer = PaidBuyer.withMandate(1_000_000);
            AgentEndpoint onC = victimBuyer.endpoint(c.baseUrl());
            Task victim = victimBuyer.ask(onC, "echo-paid", "the victim");
            RestAssured.port = c.port();
            assertEquals("victim", Rpc.v10().call("CreateTaskPushNotificationConfig", Map.of(
                    "taskId", victim.id(), "id", "victim", "url", hook.url(),
                    "token", "from-a-survivor")).getString("result.id"));
            RestAssured.port = a.port();
            Payer.Signed victimPayment = victimBuyer.sign(victim);
            try (Sse follow = Sse.open(b.baseUrl(), "1.0", "SubscribeToTask",
                    Map.of("id", victim.id()))) {
                assertEquals("TASK_STATE_INPUT_REQUIRED",
                        follow.next(WAIT).at("/result/task/status/state").asText());
                try {
                    Task answered = victimBuyer.pay(onC, victim, victimPayment);
                    throw new AssertionError("C answered the payment instead of halting: "
                            + answered);
                } catch (A2aCallException expected) {
                    // C halted with the work stored and the payment not yet settling
                }
                c.kill();
                assertFalse(c.isAlive());
                List<JsonNode> rest = follow.rest(WAIT);
                assertEquals("TASK_STATE_COMPLETED", rest.getLast()
                        .at("/result/statusUpdate/status/state").asText(), rest.toString());
            }
            // The end was written after C died: a survivor delivered it (in either version's words).
            List<Webhook.Post> posts = hook.until(p -> p.body().toString().contains(victim.id())
                    && p.body().toString().matches(".*(TASK_STATE_COMPLETED|\"completed\").*"),
                    WAIT);
            assertEquals("from-a-survivor", posts.getLast().header("X-A2A-Notification-Token"));

            for (Future<?> f : clients) {
                f.get(5, TimeUnit.MINUTES);
            }
            for (Future<?> f : paying) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();

            // The victim was settled once and drawn once by a survivor.
            Task ended = victimBuyer.awaitEnd(victimBuyer.endpoint(a.baseUrl()), victim.id());
            assertEquals(TaskState.COMPLETED, ended.state(), ended::toString);
            assertEquals(1, settlements(cluster, victimPayment.nonce()));
            settledOnce(cluster, victimBuyer, 1, victimPayment.amount());

            // Every paid task on the survivors completed, each authorization settled once.
            assertEquals(BUYERS * TASKS_PER_BUYER, paid.size());
            for (Map.Entry<Bytes32, Task> t : paid.entrySet()) {
                assertEquals(TaskState.COMPLETED, t.getValue().state(), t.getValue()::toString);
                assertEquals(1, settlements(cluster, t.getKey()));
            }
            for (PaidBuyer buyer : buyers) {
                settledOnce(cluster, buyer, TASKS_PER_BUYER, victimPayment.amount());
            }

            // The draws: the sweeper releases what C held; retried unknowns draw at most once.
            awaitNothingReserved(cluster, e.id());
            unknown.keySet().removeAll(succeeded.keySet());
            LedgerCrashIT.audit(cluster, e.id(), budget, succeeded);
            for (Map.Entry<Bytes32, Long> draw : unknown.entrySet()) {
                HttpResponse<String> r = cluster.use(b.port(), agent, e.id(), draw.getValue(),
                        draw.getKey()).orElseThrow();
                assertTrue(r.statusCode() == 200 || r.statusCode() == 402, r.body());
                if (r.statusCode() == 200) {
                    succeeded.put(draw.getKey(), LedgerCrashIT.receiptAmount(r.body()));
                }
            }
            LedgerCrashIT.audit(cluster, e.id(), budget, succeeded);
            assertTrue(refused.get() > 0, "the budget ran out");
        }
    }

    /** The buyer's envelope: {@code tasks} captures of {@code price}, nothing reserved, audited. */
    private static void settledOnce(PurserCluster cluster, PaidBuyer buyer, int tasks, long price)
            throws InterruptedException {
        Bytes32 id = Bytes32.fromHex(buyer.mandateId());
        awaitNothingReserved(cluster, id);
        Envelope after = cluster.envelopes.find(id).orElseThrow();
        assertEquals(tasks * price, after.spent(), "each paid task drawn once");
        List<Receipt> receipts = new ArrayList<>();
        Ledgers.journal(cluster.envelopes, id, receipts);
        assertEquals(tasks, receipts.size());
        Ledgers.audit(cluster.envelopes, id);
    }

    private static void awaitNothingReserved(PurserCluster cluster, Bytes32 id)
            throws InterruptedException {
        for (int i = 0; i < 600 && cluster.envelopes.find(id).orElseThrow().reserved() != 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, cluster.envelopes.find(id).orElseThrow().reserved(), "nothing reserved");
    }

    /** How many times the embedded facilitator settled the authorization of {@code nonce}. */
    private static int settlements(PurserCluster cluster, Bytes32 nonce) throws Exception {
        try (Connection conn = DriverManager.getConnection(cluster.db.jdbcUrl(), "postgres", "");
                PreparedStatement ps = conn.prepareStatement(
                        "select count(*) from x402_settlement where nonce = ?")) {
            ps.setString(1, nonce.hex());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
