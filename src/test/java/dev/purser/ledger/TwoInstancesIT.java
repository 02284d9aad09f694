package dev.purser.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.AppProcess;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two Purser processes on one PostgreSQL, both drawing one envelope with shared keys. */
class TwoInstancesIT {

    private static final int CLIENTS = 32;

    @Test
    void twoInstancesOnOneDatabaseNeverOverspendOrDrawAKeyTwice() throws Exception {
        try (PurserCluster cluster = new PurserCluster()) {
            AppProcess a = cluster.start("a", "120s");
            AppProcess b = cluster.start("b", "120s");
            Secp256k1Key agent = Secp256k1Key.generate(new SecureRandom());
            long budget = 30_000;
            Envelope e = cluster.open(agent.address(), budget);
            List<Bytes32> keys = Ledgers.randomIds(300);
            Map<Bytes32, Long> succeeded = new ConcurrentHashMap<>();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int thread = t;
                clients.add(pool.submit(() -> {
                    // Each key is sent to both instances, by different threads.
                    for (int i = thread; i < keys.size() * 2; i += CLIENTS) {
                        int k = i % keys.size();
                        int port = (i / keys.size() + thread) % 2 == 0 ? a.port() : b.port();
                        HttpResponse<String> r = cluster.use(port, agent, e.id(),
                                LedgerCrashIT.amountOf(k), keys.get(k)).orElseThrow();
                        switch (r.statusCode()) {
                            case 200 -> {
                                Long was = succeeded.put(keys.get(k),
                                        LedgerCrashIT.receiptAmount(r.body()));
                                assertTrue(was == null || was == LedgerCrashIT.amountOf(k));
                            }
                            case 402, 409 -> refused.incrementAndGet();
                            default -> throw new AssertionError(r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            LedgerCrashIT.audit(cluster, e.id(), budget, succeeded);
            Envelope after = cluster.envelopes.find(e.id()).orElseThrow();
            assertEquals(succeeded.values().stream().mapToLong(Long::longValue).sum(),
                    after.spent(), "spent is the sum of the distinct successful draws");
            assertTrue(refused.get() > 0, "the budget ran out");
        }
    }
}
