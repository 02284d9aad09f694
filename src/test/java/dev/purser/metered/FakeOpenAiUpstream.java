package dev.purser.metered;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible model server on loopback (an ephemeral port) for tests: {@code POST
 * /v1/chat/completions} streaming and not, and {@code GET /v1/models}, in OpenAI's wire format.
 *
 * <p>Paths: register {@link #baseUrl()} ({@code http://127.0.0.1:PORT/v1}) as the upstream's base
 * URL; the caller appends {@code /chat/completions} and {@code /models}. The same routes are also
 * served without the {@code /v1} prefix ({@link #root()} as base URL), so either convention works;
 * {@link Call#path} tells which one was used. Anything else answers 404 with an OpenAI error body.
 *
 * <p>Each chat call takes the next {@link UpstreamReply} from the queue ({@link #enqueue}), else
 * the default ({@link #always}, initially {@link UpstreamReply#ok()}). Every request is recorded
 * before it is answered ({@link #calls}), so a test can assert what Purser sent, or that nothing
 * arrived. Built on its own Vert.x instance (event loops, no blocking), so any number of concurrent
 * calls are served, including slow and hanging ones; {@link #close} ends them all.
 *
 * <pre>{@code
 * try (FakeOpenAiUpstream up = FakeOpenAiUpstream.start("gpt-fake")) {
 *     up.enqueue(UpstreamReply.text("four").completionTokens(3));
 *     up.enqueue(UpstreamReply.fail(503));
 *     ... register up.baseUrl() with Purser, call it ...
 *     assertEquals(64, up.calls().get(0).tokenLimit());
 * }
 * }</pre>
 */
public final class FakeOpenAiUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request as it arrived.
     *
     * @param method the HTTP method
     * @param path the request path (without query)
     * @param headers lower-case header names; repeated headers joined with {@code ", "}
     * @param body the parsed JSON body; null when there was none or it was not JSON
     */
    public record Call(String method, String path, Map<String, String> headers, JsonNode body) {

        /** The header's value, or null; {@code name} in any case. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** {@code max_completion_tokens}, else {@code max_tokens}, else null. */
        public Long tokenLimit() {
            return FakeOpenAiUpstream.tokenLimit(body);
        }

        /** Whether this was a chat completion request ({@code POST …/chat/completions}). */
        public boolean isChat() {
            return "POST".equals(method) && path.endsWith("/chat/completions");
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final Set<String> models;
    private final ConcurrentLinkedQueue<UpstreamReply> queue = new ConcurrentLinkedQueue<>();
    private final List<Call> calls = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile UpstreamReply fallback = UpstreamReply.ok();

    private FakeOpenAiUpstream(Set<String> models) {
        this.models = models;
        this.vertx = Vertx.vertx();
        try {
            // HTTP/1.1 only: a JDK HttpClient would otherwise upgrade to h2c and multiplex calls
            // on one connection, and cutting one stream's connection would cut the others
            this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
                    .setPort(0).setHttp2ClearTextEnabled(false)).requestHandler(this::handle).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("the fake OpenAI upstream could not listen", e);
        }
    }

    /**
     * Starts a fake serving {@code models} ({@code GET /v1/models} lists them; a chat call naming
     * another model answers 404 {@code model_not_found}). With no models, every model id is accepted
     * and the list is empty.
     */
    public static FakeOpenAiUpstream start(String... models) {
        return new FakeOpenAiUpstream(Set.of(models));
    }

    /** {@code http://127.0.0.1:PORT/v1}: the base URL to register (OpenAI's convention). */
    public String baseUrl() {
        return root() + "/v1";
    }

    /** {@code http://127.0.0.1:PORT}: the routes answer here too, without {@code /v1}. */
    public String root() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Queues replies for the next chat calls, in order. */
    public FakeOpenAiUpstream enqueue(UpstreamReply... replies) {
        queue.addAll(List.of(replies));
        return this;
    }

    /** The reply for chat calls once the queue is empty. */
    public FakeOpenAiUpstream always(UpstreamReply reply) {
        fallback = reply;
        return this;
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The chat completion requests received so far. */
    public List<Call> chatCalls() {
        return calls().stream().filter(Call::isChat).toList();
    }

    /** Forgets the recorded requests and the queued replies. */
    public synchronized void reset() {
        calls.clear();
        queue.clear();
    }

    /**
     * Waits until at least {@code n} requests have arrived (e.g. before killing Purser mid-call);
     * fails after {@code max}.
     */
    public synchronized List<Call> awaitCalls(int n, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (calls.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the fake upstream got " + calls.size() + " of " + n
                        + " expected requests within " + max);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fake OpenAI upstream did not close", e);
        }
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(buffer -> {
            String path = req.path();
            Map<String, String> headers = new LinkedHashMap<>();
            req.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT),
                    h.getValue(), (a, b) -> a + ", " + b));
            JsonNode body = parse(buffer.toString(StandardCharsets.UTF_8));
            record(new Call(req.method().name(), path, headers, body));
            String route = path.startsWith("/v1/") ? path.substring(3) : path;
            if ("GET".equals(req.method().name()) && "/models".equals(route)) {
                send(req.response(), 200, modelList());
            } else if ("POST".equals(req.method().name()) && "/chat/completions".equals(route)) {
                chat(req, body);
            } else {
                send(req.response(), 404, error("no route " + req.method() + " " + path,
                        "invalid_request_error", "unknown_url"));
            }
        });
    }

    private synchronized void record(Call call) {
        calls.add(call);
        notifyAll();
    }

    private void chat(HttpServerRequest req, JsonNode body) {
        if (body == null || !body.path("messages").isArray() || !body.path("model").isTextual()) {
            send(req.response(), 400, error("the body needs a model and messages",
                    "invalid_request_error", "invalid_body"));
            return;
        }
        String model = body.get("model").asText();
        if (!models.isEmpty() && !models.contains(model)) {
            send(req.response(), 404, error("The model `" + model + "` does not exist",
                    "invalid_request_error", "model_not_found"));
            return;
        }
        UpstreamReply queued = queue.poll();
        UpstreamReply reply = queued != null ? queued : fallback;
        boolean stream = body.path("stream").asBoolean(false);
        if (reply.hangs()) {
            return;
        }
        if (reply.failStatus() != 0) {
            send(req.response(), reply.failStatus(), error("the fake upstream failed (as told)",
                    reply.errorType(), reply.errorCode()));
        } else if (reply.cutAfterChunks() == 0 || (reply.cutAfterChunks() > 0 && !stream)) {
            req.connection().close();
        } else if (stream) {
            new ChunkWriter(req, reply, chunks(body, reply)).next(0);
        } else if (reply.chunkDelayMs() > 0) {
            vertx.setTimer(reply.chunkDelayMs(), t -> send(req.response(), 200, completion(body, reply)));
        } else {
            send(req.response(), 200, completion(body, reply));
        }
    }

    /** Writes stream chunks one after another, each after the reply's delay, then [DONE]. */
    private final class ChunkWriter {
        private final HttpServerRequest req;
        private final UpstreamReply reply;
        private final List<String> events;

        ChunkWriter(HttpServerRequest req, UpstreamReply reply, List<String> events) {
            this.req = req;
            this.reply = reply;
            this.events = events;
            req.response().setStatusCode(200).setChunked(true)
                    .putHeader("content-type", "text/event-stream; charset=utf-8")
                    .putHeader("cache-control", "no-cache");
        }

        void next(int sent) {
            if (sent == reply.cutAfterChunks()) {
                req.connection().close();
            } else if (sent == reply.stallAfterChunks()) {
                return; // until close
            } else if (sent == events.size()) {
                req.response().end("data: [DONE]\n\n");
            } else if (reply.chunkDelayMs() > 0) {
                vertx.setTimer(reply.chunkDelayMs(), t -> write(sent));
            } else {
                write(sent);
            }
        }

        private void write(int index) {
            // the next step waits for the write to reach the socket, so a cut follows real bytes
            req.response().write("data: " + events.get(index) + "\n\n")
                    .onSuccess(v -> next(index + 1))
                    .onFailure(e -> req.connection().close());
        }
    }

    private ObjectNode completion(JsonNode request, UpstreamReply reply) {
        ObjectNode answer = head(request, "chat.completion");
        ObjectNode choice = answer.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", reply.text())
                .putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(request, reply));
        if (!reply.usageOmitted()) {
            answer.set("usage", usage(request, reply));
        }
        return answer;
    }

    private List<String> chunks(JsonNode request, UpstreamReply reply) {
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        String id = "chatcmpl-fake" + ids.incrementAndGet();
        List<String> pieces = new ArrayList<>();
        pieces.add(null); // the first chunk carries the role
        for (String word : reply.text().split("(?<=\\S)(?=\\s)")) {
            pieces.add(word);
        }
        List<String> events = new ArrayList<>();
        for (int i = 0; i <= pieces.size(); i++) {
            ObjectNode chunk = head(request, "chat.completion.chunk").put("id", id);
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            ObjectNode delta = choice.putObject("delta");
            if (i == 0) {
                delta.put("role", "assistant").put("content", "");
            } else if (i < pieces.size()) {
                delta.put("content", pieces.get(i));
            }
            choice.putNull("logprobs");
            if (i == pieces.size()) {
                choice.put("finish_reason", finishReason(request, reply));
            } else {
                choice.putNull("finish_reason");
            }
            if (includeUsage) {
                chunk.putNull("usage");
            }
            events.add(chunk.toString());
        }
        if (includeUsage && !reply.usageOmitted()) {
            ObjectNode last = head(request, "chat.completion.chunk").put("id", id);
            last.putArray("choices");
            last.set("usage", usage(request, reply));
            events.add(last.toString());
        }
        return events;
    }

    private ObjectNode head(JsonNode request, String object) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", "chatcmpl-fake" + ids.incrementAndGet()).put("object", object)
                .put("created", Instant.now().getEpochSecond())
                .put("model", request.get("model").asText())
                .put("system_fingerprint", "fp_fake");
        return node;
    }

    private ObjectNode usage(JsonNode request, UpstreamReply reply) {
        int prompt = reply.promptTokens() != null ? reply.promptTokens()
                : Math.max(1, request.get("messages").toString()
                        .getBytes(StandardCharsets.UTF_8).length / 4);
        long completion = completionTokens(request, reply);
        return JSON.createObjectNode().put("prompt_tokens", prompt)
                .put("completion_tokens", completion).put("total_tokens", prompt + completion);
    }

    private static long completionTokens(JsonNode request, UpstreamReply reply) {
        Long limit = tokenLimit(request);
        return reply.exactUsage() || limit == null ? reply.completionTokens()
                : Math.min(reply.completionTokens(), limit);
    }

    private static String finishReason(JsonNode request, UpstreamReply reply) {
        Long limit = tokenLimit(request);
        return limit != null && !reply.exactUsage() && reply.completionTokens() > limit
                ? "length" : "stop";
    }

    static Long tokenLimit(JsonNode body) {
        if (body == null) {
            return null;
        }
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            if (body.path(field).isIntegralNumber()) {
                return body.get(field).asLong();
            }
        }
        return null;
    }

    private ObjectNode modelList() {
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        models.stream().sorted().forEach(m -> data.addObject().put("id", m).put("object", "model")
                .put("created", 1_700_000_000L).put("owned_by", "fake-upstream"));
        return list;
    }

    private static ObjectNode error(String message, String type, String code) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param")
                .put("code", code);
        return body;
    }

    private static void send(HttpServerResponse res, int status, JsonNode body) {
        res.setStatusCode(status).putHeader("content-type", "application/json")
                .end(body.toString());
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
