package dev.purser.a2a.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One wire version's JSON shapes for the model: read requests, write results. */
public interface WireCodec {

    SendMessageRequest readSend(ObjectNode params);

    TaskQuery readTaskQuery(ObjectNode params);

    JsonNode writeTask(Task task);

    JsonNode writeMessage(Message message);

    JsonNode writeSendResult(SendResult result);
}
