package dev.purser.a2a.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.JsonInput;
import dev.purser.a2a.spec.SendMessageRequest;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.V10Json;
import dev.purser.a2a.v03.V03Json;
import dev.purser.a2a.v03.V03Results;

/**
 * The client's side of the two codecs: request params written in a version's shapes, answers read
 * from them into the one model. The model's own codecs do the work; this only picks and wraps.
 * Reading throws whatever the codec throws on a wrong shape; the caller makes it a bad answer.
 */
final class WireAnswers {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private WireAnswers() {
    }

    static ObjectNode sendParams(A2aVersion version, SendMessageRequest request) {
        ObjectNode params = F.objectNode();
        ObjectNode config = F.objectNode();
        if (version == A2aVersion.V1_0) {
            params.set("message", V10Json.INSTANCE.writeMessage(request.message()));
            if (!request.blocking()) {
                config.put("returnImmediately", true);
            }
        } else {
            params.set("message", V03Json.INSTANCE.writeMessage(request.message()));
            config.put("blocking", request.blocking());
        }
        if (request.historyLength() != null) {
            config.put("historyLength", request.historyLength());
        }
        if (!request.acceptedOutputModes().isEmpty()) {
            ArrayNode modes = config.putArray("acceptedOutputModes");
            request.acceptedOutputModes().forEach(modes::add);
        }
        if (request.pushConfig() != null) {
            // 1.0: a flat TaskPushNotificationConfig (taskId left empty); 0.3: the inner config
            if (version == A2aVersion.V1_0) {
                config.set("taskPushNotificationConfig",
                        V10Json.INSTANCE.writePushConfig(request.pushConfig()));
            } else {
                config.set("pushNotificationConfig", V03Json.INSTANCE
                        .writePushConfig(request.pushConfig()).get("pushNotificationConfig"));
            }
        }
        if (!config.isEmpty()) {
            params.set("configuration", config);
        }
        if (request.metadata() != null && !request.metadata().isEmpty()) {
            params.set("metadata", request.metadata());
        }
        return params;
    }

    static ObjectNode taskParams(String taskId, Integer historyLength) {
        ObjectNode params = F.objectNode().put("id", taskId);
        if (historyLength != null) {
            params.put("historyLength", historyLength);
        }
        return params;
    }

    static SendResult sendResult(A2aVersion version, JsonNode result) {
        if (version == A2aVersion.V0_3) {
            return V03Results.readSendResult(result);
        }
        ObjectNode o = object(result);
        if (o.has("message")) {
            return new SendResult.OfMessage(V10Json.INSTANCE.readMessage(
                    JsonInput.of(object(o.get("message")), "result.message", false)));
        }
        return new SendResult.OfTask(V10Json.INSTANCE.readTask(object(o.get("task"))));
    }

    static Task task(A2aVersion version, JsonNode result) {
        return version == A2aVersion.V0_3 ? V03Results.readTask(result)
                : V10Json.INSTANCE.readTask(object(result));
    }

    static StreamEvent event(A2aVersion version, JsonNode result) {
        return version == A2aVersion.V0_3 ? V03Results.readStreamEvent(result)
                : V10Json.INSTANCE.readStreamEvent(object(result));
    }

    /** Whether the event is the last of its interaction, so the client stops reading. */
    static boolean ends(A2aVersion version, JsonNode result, StreamEvent event) {
        if (version == A2aVersion.V0_3 && V03Results.isFinal(result)) {
            return true;
        }
        return switch (event) {
            case StreamEvent.OfMessage m -> true;
            // a task snapshot may still be input-required from the turn before: wait for news
            case StreamEvent.OfTask t -> t.task().state().isTerminal();
            case StreamEvent.StatusUpdate s -> s.status().state().endsInteraction();
            case StreamEvent.ArtifactUpdate a -> false;
        };
    }

    private static ObjectNode object(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        return (ObjectNode) node;
    }
}
