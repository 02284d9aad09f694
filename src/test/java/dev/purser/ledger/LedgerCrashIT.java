package dev.purser.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.AppProcess;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Kill -9 in the middle of concurrent draws, then restart on the same database: the envelope's
 * invariants hold, every draw a client saw succeed is in the journal with its receipt, and
 * retrying the draws whose outcome the client never learnt never draws twice.
 */
class LedgerCrashIT {

    private static final int CLIENTS = 16;

    @Test
    void aKilledServerLosesNoDrawAndOverspendsNothing() throws Exception {
        try (PurserCluster cluster = new PurserCluster()) {
            AppProcess first = cluster.start("a", "3s");
            Secp256k1Key agent = Secp256k1Key.generate(new SecureRandom());
            long budget = 60_000;
            Envelope e = cluster.open(agent.address(), budget);
            List<Bytes32> keys = Ledgers.randomIds(600);
            Map<Bytes32, Long> succeeded = new ConcurrentHashMap<>();
            Map<Bytes32, Long> unknown = new ConcurrentHashMap<>();
            AtomicInteger answered = new AtomicInteger();
            CountDownLatch halfway = new CountDownLatch(150);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int thread = t;
                clients.add(pool.submit(() -> {
                    for (int i = thread; i < keys.size() * 2; i += CLIENTS) {
                        Bytes32 key = keys.get(i % keys.size());
                        long amount = amountOf(i % keys.size());
                        Optional<HttpResponse<String>> r = cluster.use(first.port(), agent,
                                e.id(), amount, key);
                        if (r.isEmpty()) {
                            unknown.put(key, amount); // the server died under this request
                            if (!first.isAlive()) {
                                return null;
                            }
                            continue;
                        }
                        answered.incrementAndGet();
                        halfway.countDown();
                        if (r.get().statusCode() == 200) {
                            succeeded.put(key, receiptAmount(r.get().body()));
                        }
                    }
                    return null;
                }));
            }
            assertTrue(halfway.await(120, TimeUnit.SECONDS), "draws were being answered");
            first.kill();
            for (Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            unknown.keySet().removeAll(succeeded.keySet());

            AppProcess second = cluster.start("b", "3s");
            // The sweeper of the restarted server releases what the killed one left reserved.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (cluster.envelopes.find(e.id()).orElseThrow().reserved() != 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            audit(cluster, e.id(), budget, succeeded);

            // Retrying every draw whose answer was lost: each is drawn at most once.
            for (Map.Entry<Bytes32, Long> draw : unknown.entrySet()) {
                HttpResponse<String> r = cluster.use(second.port(), agent, e.id(),
                        draw.getValue(), draw.getKey()).orElseThrow();
                assertTrue(r.statusCode() == 200 || r.statusCode() == 402, r.body());
                if (r.statusCode() == 200) {
                    succeeded.put(draw.getKey(), receiptAmount(r.body()));
                }
            }
            audit(cluster, e.id(), budget, succeeded);
            assertTrue(answered.get() >= 150);
            assertTrue(answered.get() < keys.size() * 2, "the kill cut the run short");
        }
    }

    static long amountOf(int k) {
        return 100 + (k % 9) * 25;
    }

    static long receiptAmount(String body) {
        try {
            JsonNode json = PurserCluster.JSON.readTree(body);
            return Long.parseLong(json.at("/receipt/amount").asText());
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    /**
     * spent <= budget, reserved = 0, the journal audits, every success the clients saw has its
     * receipt, and spent is exactly the sum of the receipts.
     */
    static void audit(PurserCluster cluster, Bytes32 id, long budget,
            Map<Bytes32, Long> succeeded) {
        Envelope after = cluster.envelopes.find(id).orElseThrow();
        assertTrue(after.spent() <= budget, "spent " + after.spent() + " <= " + budget);
        assertEquals(0, after.reserved(), "nothing is left reserved");
        Ledgers.audit(cluster.envelopes, id);
        List<Receipt> receipts = new ArrayList<>();
        Ledgers.journal(cluster.envelopes, id, receipts);
        Map<Bytes32, Long> receiptByKey = new HashMap<>();
        for (Receipt r : receipts) {
            assertEquals(null, receiptByKey.put(r.idempotencyKey(), r.amount()),
                    "one receipt per key");
        }
        assertEquals(receipts.stream().mapToLong(Receipt::amount).sum(), after.spent(),
                "spent is the sum of the receipts");
        for (Map.Entry<Bytes32, Long> s : succeeded.entrySet()) {
            assertEquals(s.getValue(), receiptByKey.get(s.getKey()),
                    "a draw the client saw succeed is in the journal");
        }
    }
}
