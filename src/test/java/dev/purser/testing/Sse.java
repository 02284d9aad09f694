package dev.purser.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A client end of one SSE response from {@code /api/a2a}: read events one by one, or to the end. */
public final class Sse implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();

    private final HttpResponse<InputStream> response;
    private final BufferedReader reader;

    private Sse(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    /** POSTs a JSON-RPC request to the test application (version null = 0.3, no header). */
    public static Sse open(String version, String method, Object params) {
        return open("http://localhost:" + io.restassured.RestAssured.port, version, method, params);
    }

    public static Sse open(String baseUrl, String version, String method, Object params) {
        try {
            java.util.Map<String, Object> req = new java.util.LinkedHashMap<>();
            req.put("jsonrpc", "2.0");
            req.put("id", 7);
            req.put("method", method);
            req.put("params", params);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/a2a"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(req)));
            if (version != null) {
                b.header("A2A-Version", version);
            }
            return new Sse(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    public int status() {
        return response.statusCode();
    }

    /** The next event's JSON-RPC response, or null at the end of the stream. */
    public JsonNode next(Duration timeout) {
        Future<JsonNode> f = READERS.submit(this::readEvent);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no event within " + timeout);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every remaining event, until the server closes the stream. */
    public List<JsonNode> rest(Duration timeout) {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode e;
        while ((e = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) != null) {
            out.add(e);
        }
        return out;
    }

    /** The whole body when the answer was plain JSON, not a stream. */
    public JsonNode json() {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode readEvent() throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("data:")) {
                JsonNode node = JSON.readTree(line.substring(5).trim());
                reader.readLine(); // the blank line that ends the event
                return node;
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
