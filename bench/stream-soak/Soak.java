import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stream soak driver: N SendStreamingMessage streams (1.0, Purser's echo skill) with a bounded
 * number in flight; every ABANDON-th client hangs up after the first event. Prints counts and
 * fails (exit 1) on any stream that did not end as expected. Single-file: java Soak.java URL N C A
 */
public class Soak {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int total = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        int abandonEvery = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore slots = new Semaphore(concurrency);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger abandoned = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger events = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                final int n = i;
                slots.acquire();
                all.add(pool.submit(() -> {
                    try {
                        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + n + ",\"method\":\"SendStreamingMessage\","
                                + "\"params\":{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\""
                                + UUID.randomUUID() + "\",\"parts\":[{\"text\":\"soak " + n + "\"}]}}}";
                        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/a2a"))
                                .header("Content-Type", "application/json").header("A2A-Version", "1.0")
                                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                        try (BufferedReader in = new BufferedReader(
                                new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                            boolean abandon = abandonEvery > 0 && n % abandonEvery == 0;
                            String line;
                            String last = "";
                            while ((line = in.readLine()) != null) {
                                if (line.startsWith("data:")) {
                                    events.incrementAndGet();
                                    last = line;
                                    if (abandon) {
                                        abandoned.incrementAndGet();
                                        return null; // hang up mid-stream
                                    }
                                }
                            }
                            if (last.contains("TASK_STATE_COMPLETED")) {
                                completed.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("streams=%d completed=%d abandoned=%d failed=%d events=%d seconds=%.1f streams/s=%.0f%n",
                total, completed.get(), abandoned.get(), failed.get(), events.get(), seconds, total / seconds);
        System.exit(failed.get() == 0 ? 0 : 1);
    }
}
