package dev.purser.task;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.JsonOutput;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.V10Json;
import java.io.IOException;
import java.io.StringWriter;

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
        return write(g -> V10Json.INSTANCE.writeTask(g, t));
    }

    String write(StreamEvent e) {
        return write(g -> V10Json.INSTANCE.writeStreamEvent(g, e));
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

    /** Straight from the model to the string: no tree on the way (a task is stored per send). */
    private String write(JsonOutput.Writing w) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = json.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new IllegalStateException("a task always serialises", e);
        }
        return out.toString();
    }
}
