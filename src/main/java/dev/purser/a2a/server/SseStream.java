package dev.purser.a2a.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.TaskState;
import dev.purser.task.TaskSubscription;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Writes a task's events as SSE (spec §6): each event {@code data: <one JSON-RPC response>} and a
 * blank line, flushed. Ends after the event that ends the stream, when the client goes away (the
 * task runs on), or when the client falls too far behind. Runs on the request's virtual thread.
 */
final class SseStream implements StreamingOutput {

    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final long PING_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final ProtocolVersion version;
    private final JsonNode id;
    private final RpcOutcome outcome;
    private final HttpServerResponse response;
    private final ObjectMapper json;

    SseStream(ProtocolVersion version, JsonNode id, RpcOutcome outcome, HttpServerResponse response,
            ObjectMapper json) {
        this.version = version;
        this.id = id;
        this.outcome = outcome;
        this.response = response;
        this.json = json;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        switch (outcome) {
            case RpcOutcome.StreamedError e -> send(out, RpcErrors.of(version, id, e.failure()));
            case RpcOutcome.Stream s -> {
                try (TaskSubscription sub = s.events()) {
                    pump(out, sub, s.endsAtInterruption());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case RpcOutcome.Result r -> throw new IllegalStateException("not a stream");
        }
    }

    private void pump(OutputStream out, TaskSubscription sub, boolean endsAtInterruption)
            throws IOException, InterruptedException {
        boolean first = true;
        long lastWrite = System.nanoTime();
        while (true) {
            StreamEvent event = sub.poll(1, TimeUnit.SECONDS);
            if (event == null) {
                if (sub.overflowed() || (response != null && response.closed())) {
                    return;
                }
                if (System.nanoTime() - lastWrite > PING_NANOS) {
                    out.write(PING);
                    out.flush();
                    lastWrite = System.nanoTime();
                }
                continue;
            }
            boolean last = ends(event, first, endsAtInterruption);
            send(out, A2aDispatcher.success(id, version.codec().writeStreamEvent(event, last)));
            lastWrite = System.nanoTime();
            first = false;
            if (last) {
                return;
            }
        }
    }

    /**
     * A direct message and a terminal state end every stream; an interrupted state ends a send's
     * stream (and a 0.3 subscription), but never as the first event, which is the task as it was.
     */
    static boolean ends(StreamEvent event, boolean first, boolean endsAtInterruption) {
        if (event instanceof StreamEvent.OfMessage) {
            return true;
        }
        TaskState state = event.state();
        if (state == null) {
            return false;
        }
        return state.isTerminal() || (!first && endsAtInterruption && state.isInterrupted());
    }

    private void send(OutputStream out, ObjectNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        out.write("data: ".getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
