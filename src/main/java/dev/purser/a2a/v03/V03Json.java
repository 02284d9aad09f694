package dev.purser.a2a.v03;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.JsonInput;
import dev.purser.a2a.spec.JsonOutput;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.ModelJson;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.PushConfig;
import dev.purser.a2a.spec.PushConfigQuery;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.SendMessageRequest;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskQuery;
import dev.purser.a2a.spec.TaskStatus;
import dev.purser.a2a.spec.WireCodec;
import java.io.IOException;
import java.util.List;
import static dev.purser.a2a.spec.JsonOutput.array;
import static dev.purser.a2a.spec.JsonOutput.arrayIfAny;
import static dev.purser.a2a.spec.JsonOutput.objectIfSet;
import static dev.purser.a2a.spec.JsonOutput.putIfSet;
import static dev.purser.a2a.spec.JsonOutput.stringIfSet;
import static dev.purser.a2a.spec.ModelJson.blankToNull;

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
        return ModelJson.readSend(JsonInput.of(params, "", false), this::readMessage, cfg -> {
            // Absent means blocking, as the reference SDK reads it (spec §5.3).
            Boolean b = cfg.bool("blocking");
            return b == null || b;
        }, cfg -> {
            JsonInput p = cfg.optionalObject("pushNotificationConfig");
            return p == null ? null : readInnerPushConfig(p);
        });
    }

    @Override
    public PushConfig readPushConfig(ObjectNode params) {
        JsonInput in = JsonInput.of(params, "", false);
        String taskId = in.requiredString("taskId");
        PushConfig c = readInnerPushConfig(in.requiredObject("pushNotificationConfig"));
        return c.withIds(c.id(), taskId);
    }

    /** {@code {id?, url, token?, authentication?:{schemes[], credentials?}}}; the first scheme. */
    private PushConfig readInnerPushConfig(JsonInput in) {
        String url = in.requiredString("url");
        JsonInput auth = in.optionalObject("authentication");
        String scheme = null;
        String credentials = null;
        if (auth != null) {
            List<String> schemes = auth.strings("schemes");
            scheme = schemes == null || schemes.isEmpty() ? null : schemes.get(0);
            credentials = blankToNull(auth.string("credentials"));
        }
        return new PushConfig(blankToNull(in.string("id")), null, url,
                blankToNull(in.string("token")), scheme, credentials);
    }

    @Override
    public PushConfigQuery readPushConfigQuery(ObjectNode params, boolean needsConfigId) {
        JsonInput in = JsonInput.of(params, "", false);
        String taskId = in.string("id");
        if (taskId == null) {
            taskId = in.requiredString("taskId");
        }
        String configId = blankToNull(in.string("pushNotificationConfigId"));
        if (needsConfigId && configId == null) {
            throw A2aFailure.invalidParams("pushNotificationConfigId", "is required");
        }
        return new PushConfigQuery(taskId, configId);
    }

    @Override
    public JsonNode writePushConfigs(List<PushConfig> configs) {
        ArrayNode a = F.arrayNode();
        configs.forEach(c -> a.add(writePushConfig(c)));
        return a;
    }

    @Override
    public ObjectNode writePushConfig(PushConfig c) {
        ObjectNode o = F.objectNode();
        o.put("taskId", c.taskId());
        ObjectNode p = o.putObject("pushNotificationConfig");
        putIfSet(p, "id", c.id());
        p.put("url", c.url());
        putIfSet(p, "token", c.token());
        if (c.authScheme() != null) {
            ObjectNode a = p.putObject("authentication");
            a.putArray("schemes").add(c.authScheme());
            putIfSet(a, "credentials", c.authCredentials());
        }
        return o;
    }

    @Override
    public JsonNode deletedPushConfig() {
        return F.nullNode();
    }

    /** 0.3 webhooks receive the whole task as it is after the event (spec §7). */
    @Override
    public JsonNode writePushBody(StreamEvent event, Task task) {
        return writeTask(task);
    }

    /** The bare event with its {@code kind}; status updates carry {@code final}. */
    @Override
    public ObjectNode writeStreamEvent(StreamEvent event, boolean closes) {
        return JsonOutput.tree(g -> writeStreamEvent(g, event, closes));
    }

    private void writeStreamEvent(JsonGenerator g, StreamEvent event, boolean closes)
            throws IOException {
        switch (event) {
            case StreamEvent.OfTask t -> writeTask(g, t.task());
            case StreamEvent.OfMessage m -> writeMessage(g, m.message());
            case StreamEvent.StatusUpdate s -> {
                g.writeStartObject();
                g.writeStringField("kind", "status-update");
                g.writeStringField("taskId", s.taskId());
                g.writeStringField("contextId", s.contextId());
                g.writeFieldName("status");
                writeStatus(g, s.status());
                g.writeBooleanField("final", closes || s.status().state().endsInteraction());
                g.writeEndObject();
            }
            case StreamEvent.ArtifactUpdate a -> {
                g.writeStartObject();
                g.writeStringField("kind", "artifact-update");
                g.writeStringField("taskId", a.taskId());
                g.writeStringField("contextId", a.contextId());
                g.writeFieldName("artifact");
                writeArtifact(g, a.artifact());
                if (a.append()) {
                    g.writeBooleanField("append", true);
                }
                if (a.lastChunk()) {
                    g.writeBooleanField("lastChunk", true);
                }
                g.writeEndObject();
            }
        }
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
        return ModelJson.readMessage(in, Role::fromV03, "must be \"user\" or \"agent\"",
                this::readPart);
    }

    Part readPart(JsonInput in) {
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
        return JsonOutput.tree(g -> writeTask(g, t));
    }

    private void writeTask(JsonGenerator g, Task t) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", "task");
        g.writeStringField("id", t.id());
        g.writeStringField("contextId", t.contextId());
        g.writeFieldName("status");
        writeStatus(g, t.status());
        arrayIfAny(g, "history", t.history(), this::writeMessage);
        arrayIfAny(g, "artifacts", t.artifacts(), this::writeArtifact);
        objectIfSet(g, "metadata", t.metadata());
        g.writeEndObject();
    }

    private void writeStatus(JsonGenerator g, TaskStatus s) throws IOException {
        ModelJson.writeStatus(g, s, s.state().v03(), this::writeMessage);
    }

    @Override
    public ObjectNode writeMessage(Message m) {
        return JsonOutput.tree(g -> writeMessage(g, m));
    }

    private void writeMessage(JsonGenerator g, Message m) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", "message");
        g.writeStringField("messageId", m.messageId());
        g.writeStringField("role", m.role().v03());
        array(g, "parts", m.parts(), this::writePart);
        stringIfSet(g, "contextId", m.contextId());
        stringIfSet(g, "taskId", m.taskId());
        ModelJson.writeMessageEnd(g, m);
    }

    private void writePart(JsonGenerator g, Part p) throws IOException {
        g.writeStartObject();
        if (p.text() != null) {
            g.writeStringField("kind", "text");
            g.writeStringField("text", p.text());
        } else if (p.data() != null) {
            g.writeStringField("kind", "data");
            // 0.3 data is an object; 1.0 allows any JSON value, so wrap the others (spec §4.2).
            g.writeFieldName("data");
            if (p.data().isObject()) {
                g.writeTree(p.data());
            } else {
                g.writeStartObject();
                g.writeFieldName("value");
                g.writeTree(p.data());
                g.writeEndObject();
            }
        } else {
            g.writeStringField("kind", "file");
            g.writeObjectFieldStart("file");
            stringIfSet(g, "name", p.filename());
            stringIfSet(g, "mimeType", p.mediaType());
            stringIfSet(g, "bytes", p.raw());
            stringIfSet(g, "uri", p.url());
            g.writeEndObject();
        }
        objectIfSet(g, "metadata", p.metadata());
        g.writeEndObject();
    }

    private void writeArtifact(JsonGenerator g, Artifact a) throws IOException {
        ModelJson.writeArtifact(g, a, this::writePart);
    }

    @Override
    public void writeSendResult(JsonGenerator g, SendResult r) throws IOException {
        switch (r) {
            case SendResult.OfTask t -> writeTask(g, t.task());
            case SendResult.OfMessage m -> writeMessage(g, m.message());
        }
    }
}
