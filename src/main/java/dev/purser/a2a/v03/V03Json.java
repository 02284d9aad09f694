package dev.purser.a2a.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.JsonInput;
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
import java.util.List;
import static dev.purser.a2a.spec.JsonOutput.putIfSet;
import static dev.purser.a2a.spec.JsonOutput.putObjectIfSet;
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
        return switch (event) {
            case StreamEvent.OfTask t -> writeTask(t.task());
            case StreamEvent.OfMessage m -> writeMessage(m.message());
            case StreamEvent.StatusUpdate s -> {
                ObjectNode o = F.objectNode();
                o.put("kind", "status-update");
                o.put("taskId", s.taskId());
                o.put("contextId", s.contextId());
                o.set("status", writeStatus(s.status()));
                o.put("final", closes || s.status().state().endsInteraction());
                yield o;
            }
            case StreamEvent.ArtifactUpdate a -> {
                ObjectNode o = F.objectNode();
                o.put("kind", "artifact-update");
                o.put("taskId", a.taskId());
                o.put("contextId", a.contextId());
                o.set("artifact", writeArtifact(a.artifact()));
                if (a.append()) {
                    o.put("append", true);
                }
                if (a.lastChunk()) {
                    o.put("lastChunk", true);
                }
                yield o;
            }
        };
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
        return ModelJson.writeStatus(s, s.state().v03(), this::writeMessage);
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
        return ModelJson.putMessageEnd(o, m);
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

    public ObjectNode writeArtifact(Artifact a) {
        return ModelJson.writeArtifact(a, this::writePart);
    }

    @Override
    public JsonNode writeSendResult(SendResult r) {
        return switch (r) {
            case SendResult.OfTask t -> writeTask(t.task());
            case SendResult.OfMessage m -> writeMessage(m.message());
        };
    }
}
