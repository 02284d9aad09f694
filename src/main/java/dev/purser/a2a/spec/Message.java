package dev.purser.a2a.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** A message of a conversation; at least one part. */
public record Message(String messageId, Role role, List<Part> parts, String contextId,
        String taskId, ObjectNode metadata, List<String> extensions,
        List<String> referenceTaskIds) {

    public Message {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a message has at least one part");
        }
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        referenceTaskIds = referenceTaskIds == null ? List.of() : List.copyOf(referenceTaskIds);
    }

    public static Message agent(String messageId, List<Part> parts) {
        return new Message(messageId, Role.AGENT, parts, null, null, null, null, null);
    }

    public Message inTask(String taskId, String contextId) {
        return new Message(messageId, role, parts, contextId, taskId, metadata, extensions,
                referenceTaskIds);
    }

    /** The text parts joined by newlines: what an echo gives back. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p.isText()) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(p.text());
            }
        }
        return sb.toString();
    }

    public boolean hasText() {
        return parts.stream().anyMatch(Part::isText);
    }
}
