package dev.purser.ledger;

import dev.purser.crypto.Bytes32;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The ledger benchmark (bench/ledger/README.md): draws per second (reserve + capture, each its
 * own transaction, journal and receipt included) on one hot envelope and over many envelopes,
 * admission (reserve) latency percentiles, and pgbench running the bare single-row conditional
 * UPDATE on the same PostgreSQL. Runs only with {@code -Dbench=true}; it measures, it asserts
 * nothing about time. Writes {@code target/bench-ledger.md}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
class LedgerBenchmark {

    private static final int THREADS = Integer.getInteger("bench.threads", 16);
    private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));

    @Inject
    Envelopes envelopes;

    @Inject
    ReceiptSigner signer;

    @Test
    void measure() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append("threads/clients: ").append(THREADS).append(", ").append(RUN.toSeconds())
                .append(" s per run, cores: ").append(Runtime.getRuntime().availableProcessors())
                .append("\n\n| run | draws/s (or tps) | admission p50 ms | p99 ms |\n|---|---|---|---|\n");
        run(report, "warm-up (discarded)", 1, Duration.ofSeconds(3), THREADS, true, 0);
        report.setLength(report.indexOf("| run |"));
        report.append("| run | draws/s (or tps) | admission p50 ms | p99 ms |\n|---|---|---|---|\n");
        run(report, "Purser, one hot envelope, reserve + capture", 1, RUN, THREADS, true, 0);
        run(report, "Purser, one hot envelope, reserve only", 1, RUN, THREADS, false, 0);
        run(report, "Purser, 64 envelopes, reserve + capture", 64, RUN, THREADS, true, 0);
        run(report, "Purser, one hot envelope, moderate load (4 threads, 50 draws/s each)", 1,
                RUN, 4, true, 50);
        report.append(pgbench());
        report.append(signing());
        Files.writeString(Path.of("target/bench-ledger.md"), report.toString());
        System.out.println(report);
    }

    /**
     * @param capture whether each draw is captured after its reservation (else reserve only)
     * @param perThreadRate draws per second per thread, paced; 0 = as fast as possible
     */
    private void run(StringBuilder report, String name, int envelopeCount, Duration length,
            int threads, boolean capture, int perThreadRate) throws Exception {
        List<Bytes32> ids = new ArrayList<>();
        for (int i = 0; i < envelopeCount; i++) {
            ids.add(Ledgers.open(envelopes, Ledgers.spec(Long.MAX_VALUE / 4)).id());
        }
        long end = System.nanoTime() + length.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> futures = new ArrayList<>();
        long interval = perThreadRate == 0 ? 0 : 1_000_000_000L / perThreadRate;
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                long[] latencies = new long[1 << 20];
                int n = 0;
                long next = System.nanoTime();
                while (System.nanoTime() < end && n < latencies.length) {
                    if (interval > 0) {
                        next += interval;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    Bytes32 id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    long start = System.nanoTime();
                    ReserveResult r = envelopes.reserve(id, 100, Ledgers.randomId(),
                            Duration.ofMinutes(1), DrawContext.NONE);
                    latencies[n++] = System.nanoTime() - start;
                    if (capture) {
                        envelopes.capture(((ReserveResult.Reserved) r).reservation(), 100);
                    }
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get(length.toSeconds() + 60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double perSecond = merged.length / (double) length.toSeconds();
        report.append(String.format("| %s | %.0f | %.2f | %.2f |%n", name, perSecond,
                merged[merged.length / 2] / 1e6, merged[(int) (merged.length * 0.99)] / 1e6));
    }

    /** The receipt signature alone (secp256k1, RFC 6979), one thread: the CPU a capture needs. */
    private String signing() {
        Bytes32 id = Ledgers.randomId();
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - start < 3_000_000_000L) {
            signer.sign(id, n, id, id, n);
            n++;
        }
        double perSecond = n / ((System.nanoTime() - start) / 1e9);
        return String.format("| receipt signatures, one thread | %.0f | %.2f per signature | |%n",
                perSecond, 1000 / perSecond);
    }

    /** pgbench: the envelope's single-row conditional UPDATE alone, same database, same clients. */
    private String pgbench() throws Exception {
        Matcher m = Pattern.compile("//([^:/]+):(\\d+)/(\\w+)")
                .matcher(System.getProperty("purser.db.url"));
        if (!m.find()) {
            return "| pgbench | (no database URL) | | |\n";
        }
        String host = m.group(1);
        String port = m.group(2);
        String dbName = m.group(3);
        Path dir = Files.createTempDirectory("pgbench");
        Path init = dir.resolve("init.sql");
        Files.writeString(init, "drop table if exists bench_envelope;"
                + " create table bench_envelope (id int primary key, budget bigint not null,"
                + " spent bigint not null default 0 check (spent >= 0),"
                + " reserved bigint not null default 0 check (reserved >= 0),"
                + " check (spent + reserved <= budget));"
                + " insert into bench_envelope (id, budget) values (1, 4000000000000000000);\n");
        Path script = dir.resolve("draw.sql");
        Files.writeString(script, "update bench_envelope set reserved = reserved + 100"
                + " where id = 1 and 100 <= budget - spent - reserved;\n");
        exec(dir, "psql", "-h", host, "-p", port, "-U", "postgres", "-d", dbName, "-q", "-f",
                init.toString());
        String out = exec(dir, "pgbench", "-h", host, "-p", port, "-U", "postgres", "-n",
                "-c", Integer.toString(THREADS), "-j", "2", "-T", Long.toString(RUN.toSeconds()),
                "-r", "-f", script.toString(), dbName);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        Matcher latency = Pattern.compile("latency average = ([0-9.]+) ms").matcher(out);
        return String.format("| pgbench, bare conditional UPDATE on one row | %s | avg %s | |%n",
                tps.find() ? tps.group(1) : "?", latency.find() ? latency.group(1) : "?");
    }

    private static String exec(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }
}
