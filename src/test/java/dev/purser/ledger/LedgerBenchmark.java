package dev.purser.ledger;

import dev.purser.crypto.Bytes32;
import dev.purser.ledger.EnvelopeSpec.Limits;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * The ledger benchmark (bench/ledger/README.md): draws per second (one-phase draws, and reserve +
 * capture, journal and signed receipt included) on one hot envelope and over many envelopes,
 * admission latency percentiles, and pgbench running the bare single-row conditional UPDATE on
 * the same PostgreSQL. Runs only with {@code -Dbench=true}; it measures, it asserts
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

    /** What one iteration of a client thread does; latency is measured on the first call. */
    private enum Mode {
        /** {@code Envelopes.draw}: one phase, as {@code POST /use}; the latency of the whole draw. */
        DRAW,
        /** {@code reserve} then {@code capture}, as a paid task; the latency of the reserve. */
        RESERVE_CAPTURE,
        /** {@code reserve} only. */
        RESERVE
    }

    @Test
    void measure() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append("threads/clients: ").append(THREADS).append(", ").append(RUN.toSeconds())
                .append(" s per run, cores: ").append(Runtime.getRuntime().availableProcessors())
                .append("\n\n");
        run(new StringBuilder(), "warm-up (discarded)", 1, Duration.ofSeconds(3), THREADS,
                Mode.RESERVE_CAPTURE, 0, Limits.NONE);
        run(new StringBuilder(), "warm-up (discarded)", 1, Duration.ofSeconds(3), THREADS,
                Mode.DRAW, 0, Limits.NONE);
        report.append("| run | draws/s (or tps) | latency p50 ms | p99 ms |\n|---|---|---|---|\n");
        // Latency against offered load first (8 paced threads on one hot envelope), before the
        // flat-out cases leave autovacuum and checkpoint work behind them.
        for (int total : new int[] {200, 500, 1000, 2000}) {
            run(report, "Purser, one hot envelope, paced " + total + "/s (8 threads), one-phase draw",
                    1, RUN, 8, Mode.DRAW, total / 8, Limits.NONE);
            run(report, "Purser, one hot envelope, paced " + total + "/s (8 threads), reserve (+ capture)",
                    1, RUN, 8, Mode.RESERVE_CAPTURE, total / 8, Limits.NONE);
        }
        run(report, "Purser, one hot envelope, one-phase draw", 1, RUN, THREADS, Mode.DRAW, 0,
                Limits.NONE);
        run(report, "Purser, one hot envelope, one-phase draw, all guards on", 1, RUN, THREADS,
                Mode.DRAW, 0, GUARDS_ON);
        run(report, "Purser, one hot envelope, reserve + capture", 1, RUN, THREADS,
                Mode.RESERVE_CAPTURE, 0, Limits.NONE);
        run(report, "Purser, one hot envelope, reserve only", 1, RUN, THREADS, Mode.RESERVE, 0,
                Limits.NONE);
        run(report, "Purser, 64 envelopes, one-phase draw", 64, RUN, THREADS, Mode.DRAW, 0,
                Limits.NONE);
        run(report, "Purser, 64 envelopes, reserve + capture", 64, RUN, THREADS,
                Mode.RESERVE_CAPTURE, 0, Limits.NONE);
        report.append(pgbench());
        report.append(signing());
        Files.writeString(Path.of("target/bench-ledger.md"), report.toString());
        System.out.println(report);
    }

    /** Every guard on, at limits the run never reaches: their cost, not their refusals. */
    private static final Limits GUARDS_ON = new Limits(0, 1_000_000_000, 1_000_000, 1_000_000);

    /** @param perThreadRate draws per second per thread, paced; 0 = as fast as possible */
    private void run(StringBuilder report, String name, int envelopeCount, Duration length,
            int threads, Mode mode, int perThreadRate, Limits limits) throws Exception {
        List<Bytes32> ids = new ArrayList<>();
        for (int i = 0; i < envelopeCount; i++) {
            ids.add(Ledgers.open(envelopes, Ledgers.spec(Long.MAX_VALUE / 4).withLimits(limits))
                    .id());
        }
        long end = System.nanoTime() + length.toNanos();
        Queue<Reservation> held = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> futures = new ArrayList<>();
        long interval = perThreadRate == 0 ? 0 : 1_000_000_000L / perThreadRate;
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                long[] latencies = new long[1 << 12];
                int n = 0;
                long next = System.nanoTime();
                while (System.nanoTime() < end) {
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    if (interval > 0) {
                        next += interval;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    Bytes32 id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    Bytes32 key = Ledgers.randomId();
                    long start = System.nanoTime();
                    if (mode == Mode.DRAW) {
                        Ledgers.captured(envelopes.draw(id, 100, key, DrawContext.NONE));
                        latencies[n++] = System.nanoTime() - start;
                        continue;
                    }
                    Reservation r = Ledgers.reserved(envelopes.reserve(id, 100, key,
                            Duration.ofMinutes(1), DrawContext.NONE));
                    latencies[n++] = System.nanoTime() - start;
                    if (mode == Mode.RESERVE_CAPTURE) {
                        Ledgers.captured(envelopes.capture(r, 100));
                    } else {
                        held.add(r);
                    }
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get(length.toSeconds() + 60, TimeUnit.SECONDS));
        }
        // Untimed: what reserve-only left pending is released now, not by the sweeper during the
        // next cases.
        List<Future<?>> releases = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            releases.add(pool.submit(() -> {
                Reservation r;
                while ((r = held.poll()) != null) {
                    envelopes.release(r);
                }
            }));
        }
        for (Future<?> f : releases) {
            f.get(10, TimeUnit.MINUTES);
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
        StringBuilder rows = new StringBuilder(String.format(
                "| pgbench, bare conditional UPDATE on one row | %s | avg %s | |%n",
                tps.find() ? tps.group(1) : "?", latency.find() ? latency.group(1) : "?"));
        // The same statement paced like the latency cases above: this machine's floor.
        for (int rate : new int[] {200, 1000}) {
            Path logs = Files.createTempDirectory(dir, "log");
            exec(logs, "pgbench", "-h", host, "-p", port, "-U", "postgres", "-n", "-c", "8",
                    "-j", "2", "-R", Integer.toString(rate), "-T",
                    Long.toString(RUN.toSeconds()), "-l", "-f", script.toString(), dbName);
            long[] micros;
            try (var files = Files.list(logs)) {
                micros = files.flatMap(f -> {
                    try {
                        return Files.readAllLines(f).stream();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).mapToLong(line -> Long.parseLong(line.split(" ")[2])).sorted().toArray();
            }
            rows.append(String.format("| pgbench, bare conditional UPDATE, paced %d/s (8 clients) | %d"
                    + " | %.2f | %.2f |%n", rate, micros.length / RUN.toSeconds(),
                    micros[micros.length / 2] / 1e3, micros[(int) (micros.length * 0.99)] / 1e3));
        }
        return rows.toString();
    }

    private static String exec(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }
}
