package dev.purser.metered;

import dev.purser.market.ModelOffer;
import dev.purser.market.Outcome;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls an upstream's {@code <baseUrl>/chat/completions} (DESIGN §11). An attempt is bounded by
 * the timeout: a whole answer within it, or a stream that never stays silent longer. The
 * operator's headers (its credentials) go to the upstream; the caller's never do.
 */
@ApplicationScoped
class Upstreams {

    /** The most of an upstream's error body that is read (it is only shown, not parsed for money). */
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            r -> {
                Thread t = new Thread(r, "upstream-watchdog");
                t.setDaemon(true);
                return t;
            });

    sealed interface Opened {
    }

    /** The upstream answered 2xx: the whole body, or the stream to read. */
    record Answered(int status, byte[] body, Stream stream) implements Opened {
    }

    /** The upstream answered a client error (not 429): its answer goes to the caller as is. */
    record Rejected(int status, byte[] body) implements Opened {
    }

    /** The upstream failed: try the next offer. */
    record Failed(Outcome outcome, String detail) implements Opened {
    }

    /** A stream being read, closed when silent for longer than the timeout. */
    final class Stream implements AutoCloseable {

        private final InputStream in;
        private final ScheduledFuture<?> guard;
        private volatile long lastRead = System.nanoTime();
        private volatile boolean timedOut;

        private Stream(InputStream in, Duration idle) {
            this.in = new java.io.BufferedInputStream(in, 8192); // lines are read a byte at a time
            long idleNanos = idle.toNanos();
            this.guard = watchdog.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastRead > idleNanos) {
                    timedOut = true;
                    closeQuietly();
                }
            }, 1, 1, TimeUnit.SECONDS);
        }

        /** The next line, without its end; null at the end of the stream. */
        String readLine() throws IOException {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
            int b;
            while ((b = in.read()) != -1) {
                lastRead = System.nanoTime();
                if (b == '\n') {
                    return trimCr(line);
                }
                line.write(b);
            }
            return line.size() == 0 ? null : trimCr(line);
        }

        boolean timedOut() {
            return timedOut;
        }

        @Override
        public void close() {
            guard.cancel(false);
            closeQuietly();
        }

        private void closeQuietly() {
            try {
                in.close();
            } catch (IOException e) {
                // closing an abandoned upstream stream: nothing to do
            }
        }

        private static String trimCr(java.io.ByteArrayOutputStream line) {
            String s = line.toString(StandardCharsets.UTF_8);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
    }

    /** Sends {@code body}; for a stream, the answer's {@link Answered#stream} is open. */
    Opened call(ModelOffer offer, String body, boolean stream, Duration timeout) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(endpoint(offer.baseUrl()))).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", stream ? "text/event-stream" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            for (Map.Entry<String, String> h : offer.headers().entrySet()) {
                b.header(h.getKey(), h.getValue());
            }
        } catch (IllegalArgumentException e) {
            return new Failed(Outcome.UNREACHABLE, "bad upstream address or header: "
                    + e.getMessage());
        }
        CompletableFuture<HttpResponse<InputStream>> sent = http.sendAsync(b.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> r;
        try {
            r = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            return new Failed(Outcome.TIMEOUT, "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sent.cancel(true);
            return new Failed(Outcome.FAILED, "interrupted");
        } catch (ExecutionException | CancellationException e) {
            return failure(e.getCause() == null ? e : e.getCause());
        }
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            if (stream) {
                return new Answered(status, null, new Stream(r.body(), timeout));
            }
            Stream whole = new Stream(r.body(), timeout);
            try (whole) {
                return new Answered(status, whole.in.readAllBytes(), null);
            } catch (IOException e) {
                return whole.timedOut()
                        ? new Failed(Outcome.TIMEOUT, "the answer stalled past "
                                + timeout.toSeconds() + " s")
                        : new Failed(Outcome.FAILED, "the answer broke off: " + e.getMessage());
            }
        }
        byte[] error = readLimited(r.body());
        if (status >= 500 || status == 429 || status < 200 || (status >= 300 && status < 400)) {
            return new Failed(Outcome.FAILED, "HTTP " + status);
        }
        return new Rejected(status, error);
    }

    /** {@code <baseUrl>/chat/completions}, whatever the operator's trailing slash. */
    static String endpoint(String baseUrl) {
        return (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl)
                + "/chat/completions";
    }

    private static Failed failure(Throwable e) {
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return new Failed(Outcome.UNREACHABLE, "could not connect: " + e.getClass()
                    .getSimpleName());
        }
        if (e instanceof HttpTimeoutException) {
            return new Failed(Outcome.TIMEOUT, "timed out");
        }
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Failed(Outcome.FAILED, what.toLowerCase(Locale.ROOT).contains("connect")
                ? "could not connect: " + what : "the call failed: " + what);
    }

    private static byte[] readLimited(InputStream in) {
        try (in) {
            return in.readNBytes(ERROR_BODY_LIMIT);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @PreDestroy
    void stop() {
        watchdog.shutdownNow();
    }
}
