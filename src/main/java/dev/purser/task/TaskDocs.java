package dev.purser.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.V10Json;

/**
 * The stored JSON of tasks and their events: the 1.0 shapes ({@link V10Json}), whatever version a
 * caller speaks. What was stored always reads back, so a failure here is a bug.
 */
final class TaskDocs {

    private final ObjectMapper json;

    TaskDocs(ObjectMapper json) {
        this.json = json;
    }

    String write(Task t) {
        return write(V10Json.INSTANCE.writeTask(t));
    }

    String write(StreamEvent e) {
        return write(V10Json.INSTANCE.writeStreamEvent(e, false));
    }

    /** The stored event of a task already written as {@code taskDoc}: what write(OfTask) gives. */
    static String ofTask(String taskDoc) {
        return "{\"task\":" + taskDoc + "}";
    }

    Task task(String doc) {
        try {
            return V10Json.INSTANCE.readTask((ObjectNode) json.readTree(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored task is always valid JSON", e);
        }
    }

    StreamEvent event(String doc) {
        try {
            return V10Json.INSTANCE.readStreamEvent((ObjectNode) json.readTree(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event is always valid JSON", e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a task always serialises", e);
        }
    }
}
