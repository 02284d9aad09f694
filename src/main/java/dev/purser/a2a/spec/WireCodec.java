package dev.purser.a2a.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** One wire version's JSON shapes for the model: read requests, write results. */
public interface WireCodec {

    SendMessageRequest readSend(ObjectNode params);

    TaskQuery readTaskQuery(ObjectNode params);

    JsonNode writeTask(Task task);

    JsonNode writeMessage(Message message);

    /** Straight to the generator: the hot path of a send's answer builds no tree. */
    void writeSendResult(JsonGenerator g, SendResult result) throws IOException;

    /** One SSE event's result; {@code closes} says it is the last of its stream (0.3 final). */
    JsonNode writeStreamEvent(StreamEvent event, boolean closes);

    /** Create/set: the config to register for a task (its id may be null). */
    PushConfig readPushConfig(ObjectNode params);

    /** Get, delete and list: which task and config (list: config id null). */
    PushConfigQuery readPushConfigQuery(ObjectNode params, boolean needsConfigId);

    JsonNode writePushConfig(PushConfig config);

    JsonNode writePushConfigs(java.util.List<PushConfig> configs);

    /** The result of a delete: 1.0 an empty object, 0.3 null. */
    JsonNode deletedPushConfig();

    /** The body of a webhook POST for one event of a task (1.0: the event; 0.3: the task). */
    JsonNode writePushBody(StreamEvent event, Task task);
}
