package dev.purser.a2a.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.JsonInput;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.a2a.spec.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a 0.3 agent answers — a task, a direct message, stream events told apart by {@code kind}
 * — read into the one model: the client side of {@link V03Json}, which reads requests. A shape
 * that is not 0.3 fails with an {@link A2aFailure} naming the field. A status without a
 * timestamp (optional in 0.3) reads as now.
 */
public final class V03Results {

    private V03Results() {
    }

    /** {@code message/send}'s result: a bare Task or Message. */
    public static SendResult readSendResult(JsonNode result) {
        JsonInput in = object(result, "result");
        return "message".equals(in.string("kind"))
                ? new SendResult.OfMessage(V03Json.INSTANCE.readMessage(in))
                : new SendResult.OfTask(readTask(in));
    }

    /** A Task ({@code tasks/get}, {@code tasks/cancel}, a stream's first event). */
    public static Task readTask(JsonNode node) {
        return readTask(object(node, "result"));
    }

    /** One SSE event's result: a task, message, status-update or artifact-update. */
    public static StreamEvent readStreamEvent(JsonNode node) {
        JsonInput in = object(node, "result");
        String kind = in.requiredString("kind");
        return switch (kind) {
            case "task" -> new StreamEvent.OfTask(readTask(in));
            case "message" -> new StreamEvent.OfMessage(V03Json.INSTANCE.readMessage(in));
            case "status-update" -> new StreamEvent.StatusUpdate(in.requiredString("taskId"),
                    in.requiredString("contextId"), readStatus(in.requiredObject("status")));
            case "artifact-update" -> {
                Boolean append = in.bool("append");
                Boolean last = in.bool("lastChunk");
                yield new StreamEvent.ArtifactUpdate(in.requiredString("taskId"),
                        in.requiredString("contextId"), readArtifact(in.requiredObject("artifact")),
                        append != null && append, last != null && last);
            }
            default -> throw A2aFailure.invalidParams(in.where("kind"), "is not a stream event: "
                    + kind);
        };
    }

    /** Whether a 0.3 event says it is the last of its stream ({@code final: true}). */
    public static boolean isFinal(JsonNode event) {
        return event != null && event.path("final").asBoolean(false);
    }

    private static Task readTask(JsonInput in) {
        String kind = in.string("kind");
        if (kind != null && !kind.equals("task")) {
            throw A2aFailure.invalidParams(in.where("kind"), "must be \"task\"");
        }
        List<Message> history = new ArrayList<>();
        List<JsonNode> h = in.array("history");
        for (int i = 0; h != null && i < h.size(); i++) {
            history.add(V03Json.INSTANCE.readMessage(in.element(h, "history", i)));
        }
        List<Artifact> artifacts = new ArrayList<>();
        List<JsonNode> a = in.array("artifacts");
        for (int i = 0; a != null && i < a.size(); i++) {
            artifacts.add(readArtifact(in.element(a, "artifacts", i)));
        }
        return new Task(in.requiredString("id"), in.requiredString("contextId"),
                readStatus(in.requiredObject("status")), history, artifacts, in.object("metadata"));
    }

    private static TaskStatus readStatus(JsonInput in) {
        String name = in.requiredString("state");
        TaskState state = TaskState.fromV03(name).orElseThrow(() ->
                A2aFailure.invalidParams(in.where("state"), "is not a task state: " + name));
        JsonInput message = in.optionalObject("message");
        String at = in.string("timestamp");
        return new TaskStatus(state, message == null ? null : V03Json.INSTANCE.readMessage(message),
                at == null ? Instant.now() : Instant.parse(at));
    }

    private static Artifact readArtifact(JsonInput in) {
        List<JsonNode> parts = in.array("parts");
        List<Part> out = new ArrayList<>();
        for (int i = 0; parts != null && i < parts.size(); i++) {
            out.add(V03Json.INSTANCE.readPart(in.element(parts, "parts", i)));
        }
        return new Artifact(in.requiredString("artifactId"), in.string("name"),
                in.string("description"), out, in.object("metadata"), in.strings("extensions"));
    }

    private static JsonInput object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw A2aFailure.invalidParams(path, "must be an object");
        }
        return JsonInput.of((ObjectNode) node, path, false);
    }
}
