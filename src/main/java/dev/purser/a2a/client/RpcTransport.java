package dev.purser.a2a.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aCallException.Kind;
import dev.purser.net.GuardedHttp;
import dev.purser.net.HttpAnswer;
import dev.purser.net.UrlGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON-RPC over HTTP to another agent, with one deadline per call: a blocking answer, or an SSE
 * stream read event by event. A body still arriving at the deadline is closed under the reader,
 * which then fails with {@link Kind#TIMEOUT}. Every failure becomes an {@link A2aCallException}.
 * The connection goes through {@link GuardedHttp}: to an address its SSRF guard approved.
 */
final class RpcTransport {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Larger answers (or single events) are refused rather than buffered. */
    static final int MAX_ANSWER_BYTES = 8 << 20;

    /** Each exchange runs on its own virtual thread, so a deadline or an interrupt can stop it. */
    private static final ExecutorService EXCHANGES = Executors.newVirtualThreadPerTaskExecutor();

    private final GuardedHttp http;
    private final AtomicLong ids = new AtomicLong();

    RpcTransport(GuardedHttp http) {
        this.http = http;
    }

    /** A GET (the agent card): its status and body, or why there is none. */
    Fetched get(URI url, CallOptions options) throws A2aCallException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.putAll(options.headers());
        HttpAnswer r = await(() -> http.send("GET", url, headers, null, options.timeout()),
                deadline, url);
        return new Fetched(r.status(), readBody(r, deadline, url));
    }

    /** One blocking call: the JSON-RPC {@code result}. */
    JsonNode call(AgentEndpoint agent, String method, ObjectNode params, CallOptions options)
            throws A2aCallException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        HttpAnswer r = post(agent, method, params, options, false, deadline);
        return result(r.status(), readBody(r, deadline, agent.url()), agent.url());
    }

    /**
     * A streaming call: each event's {@code result} goes to {@code onResult} until it answers
     * true (the interaction is over) or the agent closes the stream. An agent that answers with
     * plain JSON instead (an error before the stream opened, or no streaming) gives one result.
     */
    void stream(AgentEndpoint agent, String method, ObjectNode params, CallOptions options,
            ResultSink onResult) throws A2aCallException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        URI url = agent.url();
        HttpAnswer r = post(agent, method, params, options, true, deadline);
        String type = r.header("Content-Type").orElse("");
        if (r.status() != 200 || !type.startsWith("text/event-stream")) {
            onResult.accept(result(r.status(), readBody(r, deadline, url), url));
            return;
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        InputStream body = r.body();
        ScheduledFuture<?> watchdog = closeAt(deadline, body, timedOut);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body,
                StandardCharsets.UTF_8))) {
            String data;
            while ((data = nextEvent(lines, url)) != null) {
                if (onResult.accept(result(200, data.getBytes(StandardCharsets.UTF_8), url))) {
                    return;
                }
            }
            if (timedOut.get()) {
                throw timeout(url, options.timeout());
            }
        } catch (IOException e) {
            throw timedOut.get() ? timeout(url, options.timeout())
                    : A2aCallException.of(Kind.UNREACHABLE, "the stream from " + url
                            + " broke: " + describe(e), e);
        } finally {
            watchdog.cancel(false);
        }
    }

    /** The next SSE event's data (its {@code data:} lines joined), or null at the end. */
    private static String nextEvent(BufferedReader lines, URI url) throws IOException,
            A2aCallException {
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return data.toString();
                }
                continue;
            }
            if (line.startsWith("data:")) {
                String value = line.substring(line.startsWith("data: ") ? 6 : 5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                if (data.length() > MAX_ANSWER_BYTES) {
                    throw A2aCallException.of(Kind.BAD_ANSWER, "an event from " + url
                            + " is larger than " + MAX_ANSWER_BYTES + " bytes");
                }
            }
            // event:, id:, retry: and comments carry nothing A2A uses
        }
        return data == null ? null : data.toString();
    }

    private HttpAnswer post(AgentEndpoint agent, String method, ObjectNode params,
            CallOptions options, boolean stream, long deadline) throws A2aCallException {
        ObjectNode body = JSON.createObjectNode();
        body.put("jsonrpc", "2.0");
        body.put("id", ids.incrementAndGet());
        body.put("method", method);
        body.set("params", params);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        headers.put("A2A-Version", agent.version().label());
        if (!options.extensions().isEmpty()) {
            headers.put(agent.version().extensionHeader(), String.join(", ", options.extensions()));
        }
        headers.putAll(options.headers());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        return await(() -> http.send("POST", agent.url(), headers, bytes, options.timeout()),
                deadline, agent.url());
    }

    /** The JSON-RPC result of an answer, or the failure it stands for. */
    private static JsonNode result(int status, byte[] body, URI url) throws A2aCallException {
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            answer = null;
        }
        JsonNode error = answer == null ? null : answer.get("error");
        if (error != null && error.isObject()) {
            String message = error.path("message").asText("");
            throw new A2aCallException(Kind.RPC_ERROR, url + " answered JSON-RPC error "
                    + error.path("code").asInt() + (message.isEmpty() ? "" : ": " + message),
                    error.path("code").asInt(), error.get("data"), status == 200 ? 0 : status,
                    null);
        }
        if (status != 200) {
            // a gateway's 502/503/504 says the agent behind it is not there
            Kind kind = status == 502 || status == 503 || status == 504 ? Kind.UNREACHABLE
                    : Kind.BAD_ANSWER;
            throw new A2aCallException(kind, url + " answered HTTP " + status, 0, null, status,
                    null);
        }
        if (answer == null || !answer.isObject() || !answer.has("result")) {
            throw A2aCallException.of(Kind.BAD_ANSWER, url + " answered "
                    + (answer == null ? "something that is not JSON"
                            : "JSON that is not a JSON-RPC response"));
        }
        return answer.get("result");
    }

    private static byte[] readBody(HttpAnswer r, long deadline, URI url)
            throws A2aCallException {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = closeAt(deadline, r.body(), timedOut);
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (timedOut.get()) {
                throw timeout(url, null);
            }
            if (body.length > MAX_ANSWER_BYTES) {
                throw A2aCallException.of(Kind.BAD_ANSWER, url + " answered more than "
                        + MAX_ANSWER_BYTES + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw timedOut.get() ? timeout(url, null) : A2aCallException.of(Kind.UNREACHABLE,
                    "the answer from " + url + " broke off: " + describe(e), e);
        } finally {
            watchdog.cancel(false);
        }
    }

    /** Closes {@code body} at the deadline, flagging why; cancel it once the body is read. */
    private static ScheduledFuture<?> closeAt(long deadline, InputStream body,
            AtomicBoolean timedOut) {
        return Timer.INSTANCE.schedule(() -> {
            timedOut.set(true);
            try {
                body.close();
            } catch (IOException ignored) {
                // closing is how the reader is stopped; nothing more to do
            }
        }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Runs one exchange until its answer's head is in, the deadline, or an interrupt. */
    private static HttpAnswer await(Callable<HttpAnswer> exchange, long deadline, URI url)
            throws A2aCallException {
        Future<HttpAnswer> f = EXCHANGES.submit(exchange);
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(f);
            throw timeout(url, null);
        } catch (InterruptedException e) {
            abandon(f);
            Thread.currentThread().interrupt();
            throw A2aCallException.of(Kind.INTERRUPTED, "interrupted while calling " + url, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof UrlGuard.Refused) {
                throw A2aCallException.of(Kind.UNREACHABLE, url + " is refused: it "
                        + cause.getMessage(), cause);
            }
            if (cause instanceof SocketTimeoutException) {
                throw timeout(url, null);
            }
            throw A2aCallException.of(Kind.UNREACHABLE, "cannot reach " + url + ": "
                    + describe(cause), cause);
        }
    }

    /** Stops an exchange (interrupting its virtual thread closes its socket), or closes its answer. */
    private static void abandon(Future<HttpAnswer> f) {
        if (!f.cancel(true) && f.state() == Future.State.SUCCESS) {
            try {
                f.resultNow().close(); // it came in just as the caller gave up
            } catch (IOException ignored) {
                // closing is all that was left to do
            }
        }
    }

    private static A2aCallException timeout(URI url, Duration budget) {
        return A2aCallException.of(Kind.TIMEOUT, url + " did not answer in time"
                + (budget == null ? "" : " (" + budget.toMillis() + " ms)"));
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName()
                : t.getMessage();
    }

    /**
     * One daemon thread for every call's deadline. Cancelled deadlines leave its queue at once,
     * so a call that ended early holds nothing (its body least of all) until its timeout.
     */
    private static final class Timer {
        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread thread = new Thread(r, "a2a-client-deadlines");
                thread.setDaemon(true);
                return thread;
            });
            t.setRemoveOnCancelPolicy(true);
            return t;
        }
    }

    /** Takes one streamed result; true when the interaction is over and reading should stop. */
    @FunctionalInterface
    interface ResultSink {
        boolean accept(JsonNode result) throws A2aCallException;
    }

    /** A finished GET: its status and body. */
    record Fetched(int status, byte[] body) {
    }
}
