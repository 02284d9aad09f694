package dev.purser.a2a.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.JsonInput;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.SendMessageRequest;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskQuery;
import dev.purser.a2a.spec.TaskStatus;
import dev.purser.a2a.spec.WireCodec;
import java.util.ArrayList;
import java.util.List;
import static dev.purser.a2a.spec.JsonOutput.putIfSet;
import static dev.purser.a2a.spec.JsonOutput.putStrings;
import static dev.purser.a2a.spec.JsonOutput.putObjectIfSet;

/**
 * The A2A 0.3 JSON shapes, converted to and from the one (1.0) model at the edge: {@code kind}
 * discriminators, lowercase enums, file parts as {@code {file:{bytes|uri}}} (spec §4).
 */
public final class V03Json implements WireCodec {

    public static final V03Json INSTANCE = new V03Json();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private V03Json() {
    }

    // ---- requests -------------------------------------------------------------------------------

    @Override
    public SendMessageRequest readSend(ObjectNode params) {
        JsonInput in = JsonInput.of(params, "", false);
        Message message = readMessage(in.requiredObject("message"));
        JsonInput cfg = in.optionalObject("configuration");
        boolean blocking = true;
        Integer historyLength = null;
        List<String> modes = null;
        if (cfg != null) {
            // Absent means blocking, as the reference SDK reads it (spec §5.3).
            Boolean b = cfg.bool("blocking");
            blocking = b == null || b;
            historyLength = cfg.nonNegative("historyLength");
            modes = cfg.strings("acceptedOutputModes");
        }
        return new SendMessageRequest(message, blocking, historyLength, modes, in.object("metadata"));
    }

    @Override
    public TaskQuery readTaskQuery(ObjectNode params) {
        JsonInput in = JsonInput.of(params, "", false);
        return new TaskQuery(in.requiredString("id"), in.nonNegative("historyLength"));
    }

    public Message readMessage(JsonInput in) {
        String kind = in.string("kind");
        if (kind != null && !kind.equals("message")) {
            throw A2aFailure.invalidParams(in.where("kind"), "must be \"message\"");
        }
        String messageId = in.requiredString("messageId");
        String roleName = in.requiredString("role");
        Role role = Role.fromV03(roleName).orElseThrow(() ->
                A2aFailure.invalidParams(in.where("role"), "must be \"user\" or \"agent\""));
        List<JsonNode> parts = in.array("parts");
        if (parts == null || parts.isEmpty()) {
            throw A2aFailure.invalidParams(in.where("parts"), "must hold at least one part");
        }
        List<Part> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            out.add(readPart(in.element(parts, "parts", i)));
        }
        return new Message(messageId, role, out, blank(in.string("contextId")),
                blank(in.string("taskId")), in.object("metadata"), in.strings("extensions"),
                in.strings("referenceTaskIds"));
    }

    private Part readPart(JsonInput in) {
        String kind = in.requiredString("kind");
        ObjectNode metadata = in.object("metadata");
        return switch (kind) {
            case "text" -> {
                String text = in.string("text");
                if (text == null) {
                    throw A2aFailure.invalidParams(in.where("text"), "is required");
                }
                yield new Part(text, null, null, null, metadata, null, null);
            }
            case "file" -> {
                JsonInput file = in.requiredObject("file");
                String bytes = file.string("bytes");
                String uri = file.string("uri");
                if ((bytes == null) == (uri == null)) {
                    throw A2aFailure.invalidParams(file.path(), "must hold exactly one of bytes, uri");
                }
                yield new Part(null, bytes, uri, null, metadata, file.string("name"),
                        file.string("mimeType"));
            }
            case "data" -> {
                ObjectNode data = in.object("data");
                if (data == null) {
                    throw A2aFailure.invalidParams(in.where("data"), "must be an object");
                }
                yield new Part(null, null, null, data, metadata, null, "application/json");
            }
            default -> throw A2aFailure.invalidParams(in.where("kind"),
                    "must be \"text\", \"file\" or \"data\"");
        };
    }

    // ---- results --------------------------------------------------------------------------------

    @Override
    public ObjectNode writeTask(Task t) {
        ObjectNode o = F.objectNode();
        o.put("kind", "task");
        o.put("id", t.id());
        o.put("contextId", t.contextId());
        o.set("status", writeStatus(t.status()));
        if (!t.history().isEmpty()) {
            ArrayNode h = o.putArray("history");
            t.history().forEach(m -> h.add(writeMessage(m)));
        }
        if (!t.artifacts().isEmpty()) {
            ArrayNode a = o.putArray("artifacts");
            t.artifacts().forEach(x -> a.add(writeArtifact(x)));
        }
        putObjectIfSet(o, "metadata", t.metadata());
        return o;
    }

    public ObjectNode writeStatus(TaskStatus s) {
        ObjectNode o = F.objectNode();
        o.put("state", s.state().v03());
        if (s.message() != null) {
            o.set("message", writeMessage(s.message()));
        }
        o.put("timestamp", s.timestamp().toString());
        return o;
    }

    @Override
    public ObjectNode writeMessage(Message m) {
        ObjectNode o = F.objectNode();
        o.put("kind", "message");
        o.put("messageId", m.messageId());
        o.put("role", m.role().v03());
        ArrayNode parts = o.putArray("parts");
        m.parts().forEach(p -> parts.add(writePart(p)));
        putIfSet(o, "contextId", m.contextId());
        putIfSet(o, "taskId", m.taskId());
        putObjectIfSet(o, "metadata", m.metadata());
        putStrings(o, "extensions", m.extensions());
        putStrings(o, "referenceTaskIds", m.referenceTaskIds());
        return o;
    }

    public ObjectNode writeArtifact(Artifact a) {
        ObjectNode o = F.objectNode();
        o.put("artifactId", a.artifactId());
        putIfSet(o, "name", a.name());
        putIfSet(o, "description", a.description());
        ArrayNode parts = o.putArray("parts");
        a.parts().forEach(p -> parts.add(writePart(p)));
        putObjectIfSet(o, "metadata", a.metadata());
        putStrings(o, "extensions", a.extensions());
        return o;
    }

    private ObjectNode writePart(Part p) {
        ObjectNode o = F.objectNode();
        if (p.text() != null) {
            o.put("kind", "text");
            o.put("text", p.text());
        } else if (p.data() != null) {
            o.put("kind", "data");
            // 0.3 data is an object; 1.0 allows any JSON value, so wrap the others (spec §4.2).
            if (p.data().isObject()) {
                o.set("data", p.data());
            } else {
                o.putObject("data").set("value", p.data());
            }
        } else {
            o.put("kind", "file");
            ObjectNode file = o.putObject("file");
            putIfSet(file, "name", p.filename());
            putIfSet(file, "mimeType", p.mediaType());
            putIfSet(file, "bytes", p.raw());
            putIfSet(file, "uri", p.url());
        }
        putObjectIfSet(o, "metadata", p.metadata());
        return o;
    }

    @Override
    public JsonNode writeSendResult(SendResult r) {
        return switch (r) {
            case SendResult.OfTask t -> writeTask(t.task());
            case SendResult.OfMessage m -> writeMessage(m.message());
        };
    }



    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
