package dev.purser.a2a.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** A send, in either version: the message and how the client wants the answer. */
public record SendMessageRequest(Message message, boolean blocking, Integer historyLength,
        List<String> acceptedOutputModes, ObjectNode metadata, PushConfig pushConfig) {

    public SendMessageRequest {
        Objects.requireNonNull(message, "message");
        acceptedOutputModes = acceptedOutputModes == null ? List.of() : List.copyOf(acceptedOutputModes);
    }
}
