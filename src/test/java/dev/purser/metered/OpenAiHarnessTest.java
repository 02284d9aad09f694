package dev.purser.metered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test fixtures proved against each other, no Purser involved: the official {@code openai}
 * client ({@link OpenAiClient}) calling {@link FakeOpenAiUpstream} directly. Also the examples to
 * copy for tests of Purser's {@code /v1}.
 */
class OpenAiHarnessTest {

    private FakeOpenAiUpstream upstream;

    @BeforeEach
    void start() {
        upstream = FakeOpenAiUpstream.start("gpt-fake", "gpt-other");
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    /** A job for the official client against the fake, {@code request} being create()'s params. */
    private String job(String request, String options) {
        return """
                {"baseURL": "%s", "apiKey": "sk-test", "timeoutMs": 10000, %s
                 "request": %s}""".formatted(upstream.baseUrl(), options, request);
    }

    private static String chat(String extra) {
        return """
                {"model": "gpt-fake", "messages": [{"role": "user", "content": "How much is 2 + 2?"}]%s}"""
                .formatted(extra);
    }

    private static <T> T only(List<T> items) {
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    @Test
    void aCompletionWithUsageAndTheTokenLimitTheClientSent() {
        upstream.enqueue(UpstreamReply.text("Four.").completionTokens(3));

        JsonNode result = only(OpenAiClient.run(job(chat(", \"max_tokens\": 50"), "")));

        assertTrue(result.path("ok").asBoolean(), result.toString());
        JsonNode response = result.path("response");
        assertEquals("chat.completion", response.path("object").asText());
        assertEquals("Four.", response.at("/choices/0/message/content").asText());
        assertEquals("stop", response.at("/choices/0/finish_reason").asText());
        JsonNode usage = response.path("usage");
        assertEquals(3, usage.path("completion_tokens").asInt());
        assertTrue(usage.path("prompt_tokens").asInt() > 0, usage.toString());
        assertEquals(usage.path("prompt_tokens").asInt() + 3, usage.path("total_tokens").asInt());
        assertEquals("application/json", result.at("/headers/content-type").asText());

        FakeOpenAiUpstream.Call call = only(upstream.chatCalls());
        assertEquals("/v1/chat/completions", call.path());
        assertEquals(50L, call.tokenLimit());
        assertEquals("Bearer sk-test", call.header("Authorization"));
        assertEquals("How much is 2 + 2?", call.body().at("/messages/0/content").asText());
    }

    @Test
    void completionTokensNeverExceedTheRequestedLimit() {
        upstream.enqueue(UpstreamReply.text("a long answer").completionTokens(500));

        JsonNode result = only(OpenAiClient.run(job(chat(", \"max_completion_tokens\": 7"), "")));

        assertEquals(7, result.at("/response/usage/completion_tokens").asInt(), result.toString());
        assertEquals("length", result.at("/response/choices/0/finish_reason").asText());
    }

    @Test
    void aStreamEndsWithItsUsageWhenAskedFor() {
        upstream.enqueue(UpstreamReply.text("Two plus two is four.").completionTokens(6));

        JsonNode result = only(OpenAiClient.run(job(
                chat(", \"max_tokens\": 20, \"stream_options\": {\"include_usage\": true}"),
                "\"stream\": true,")));

        assertTrue(result.path("ok").asBoolean(), result.toString());
        assertEquals("Two plus two is four.", result.path("content").asText());
        assertEquals(6, result.at("/usage/completion_tokens").asInt());
        assertEquals("stop", result.path("finishReason").asText());
        JsonNode chunks = result.path("chunks");
        assertEquals("chat.completion.chunk", chunks.get(0).path("object").asText());
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals(0, last.path("choices").size(), "the usage chunk has no choices");
        assertTrue(result.at("/headers/content-type").asText().startsWith("text/event-stream"));
        assertTrue(only(upstream.chatCalls()).body().at("/stream_options/include_usage").asBoolean());
    }

    @Test
    void aStreamWithoutUsageAndTheRawModeSeesTheWholeBody() {
        upstream.enqueue(UpstreamReply.text("no usage here").omitUsage());

        JsonNode result = only(OpenAiClient.run(job(
                chat(", \"stream_options\": {\"include_usage\": true}"),
                "\"stream\": true, \"raw\": true,")));

        assertTrue(result.path("ok").asBoolean(), result.toString());
        assertTrue(result.path("done").asBoolean(), "data: [DONE] was seen");
        assertTrue(result.path("usage").isNull(), result.toString());
        assertEquals("no usage here", result.path("content").asText());
        assertEquals(0, result.path("comments").size());
        assertTrue(result.path("body").asText().endsWith("data: [DONE]\n\n"));
    }

    @Test
    void anUpstreamFailureIsAnApiErrorWithOpenAisBodyAndIsNotRetried() {
        upstream.enqueue(UpstreamReply.fail(500));

        JsonNode result = only(OpenAiClient.run(job(chat(""), "")));

        assertFalse(result.path("ok").asBoolean(), result.toString());
        JsonNode error = result.path("error");
        assertEquals("InternalServerError", error.path("class").asText());
        assertEquals(500, error.path("status").asInt());
        assertEquals("server_error", error.path("type").asText());
        assertEquals("fake_failure", error.path("code").asText());
        assertEquals(1, upstream.chatCalls().size(), "maxRetries is 0: one call only");
    }

    @Test
    void aCutStreamIsAnErrorAfterThePartSent() {
        upstream.enqueue(UpstreamReply.text("one two three four").cutStream(2));

        JsonNode result = only(OpenAiClient.run(job(chat(""), "\"stream\": true,")));

        assertFalse(result.path("ok").asBoolean(), result.toString());
        assertEquals("one", result.path("content").asText(), "the role chunk, then one word");
        assertEquals(2, result.path("chunks").size());
    }

    @Test
    void aHangingUpstreamTimesTheClientOut() {
        upstream.enqueue(UpstreamReply.hang());

        JsonNode result = only(OpenAiClient.run("""
                {"baseURL": "%s", "apiKey": "sk-test", "timeoutMs": 1000, "request": %s}"""
                .formatted(upstream.baseUrl(), chat(""))));

        assertEquals("APIConnectionTimeoutError", result.at("/error/class").asText(), result.toString());
    }

    @Test
    void aDroppedConnectionIsAConnectionError() {
        upstream.enqueue(UpstreamReply.dropConnection());

        JsonNode result = only(OpenAiClient.run(job(chat(""), "")));

        assertEquals("APIConnectionError", result.at("/error/class").asText(), result.toString());
    }

    @Test
    void aStalledStreamWaitsUntilTheUpstreamCloses() throws Exception {
        upstream.enqueue(UpstreamReply.text("never finished").stallStream(2));
        CompletableFuture<List<JsonNode>> call = CompletableFuture.supplyAsync(
                () -> OpenAiClient.run(job(chat(""), "\"stream\": true,")),
                task -> Thread.ofPlatform().daemon().start(task));

        upstream.awaitCalls(1, Duration.ofSeconds(60));
        assertFalse(call.isDone(), "the stream is still open");
        upstream.close();

        JsonNode result = only(call.get(60, TimeUnit.SECONDS));
        assertFalse(result.path("ok").asBoolean(), result.toString());
        assertEquals("never", result.path("content").asText());
    }

    @Test
    void sixtyFourConcurrentCallsAreAllAnswered() {
        upstream.always(UpstreamReply.text("same").completionTokens(2).slowChunks(20));

        List<JsonNode> results = OpenAiClient.run(job(
                chat(", \"stream_options\": {\"include_usage\": true}"),
                "\"stream\": true, \"concurrency\": 64,"));

        assertEquals(64, results.size());
        for (JsonNode r : results) {
            assertTrue(r.path("ok").asBoolean(), r.toString());
            assertEquals("same", r.path("content").asText());
            assertEquals(2, r.at("/usage/completion_tokens").asInt());
        }
        assertEquals(64, upstream.chatCalls().size());
    }

    @Test
    void aJavaClientStaysOnHttp11AndSeesACutAsAnIoError() throws Exception {
        upstream.enqueue(UpstreamReply.ok(), UpstreamReply.text("one two three").cutStream(2));
        HttpClient http = HttpClient.newHttpClient(); // HTTP/2 preferred, as Purser's may be
        HttpRequest request = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chat(""))).build();

        HttpResponse<String> plain = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_1_1, plain.version());
        assertEquals(200, plain.statusCode());

        HttpRequest streamed = HttpRequest.newBuilder(request.uri())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chat(", \"stream\": true"))).build();
        assertThrows(IOException.class, () -> http.send(streamed, HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void theModelListAndAnUnknownModel() {
        JsonNode list = only(OpenAiClient.run(job("{}", "\"listModels\": true,")));
        assertEquals(List.of("gpt-fake", "gpt-other"),
                list.path("models").findValuesAsText("id"), list.toString());

        JsonNode unknown = only(OpenAiClient.run(job(
                "{\"model\": \"nope\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}", "")));
        assertEquals("NotFoundError", unknown.at("/error/class").asText(), unknown.toString());
        assertEquals("model_not_found", unknown.at("/error/code").asText());
    }
}
