package dev.purser.a2a.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import static dev.purser.a2a.spec.JsonOutput.array;
import static dev.purser.a2a.spec.JsonOutput.arrayIfAny;
import static dev.purser.a2a.spec.JsonOutput.objectIfSet;
import static dev.purser.a2a.spec.JsonOutput.putIfSet;
import static dev.purser.a2a.spec.JsonOutput.stringIfSet;
import static dev.purser.a2a.spec.ModelJson.blankToNull;

/**
 * The A2A 1.0 JSON shapes (ProtoJSON of {@code lf.a2a.v1}): camelCase out, camelCase or
 * snake_case in, enums as their proto names, default values omitted. Also the storage format.
 */
public final class V10Json implements WireCodec {

    public static final V10Json INSTANCE = new V10Json();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private V10Json() {
    }

    // ---- requests -------------------------------------------------------------------------------

    @Override
    public SendMessageRequest readSend(ObjectNode params) {
        return ModelJson.readSend(JsonInput.of(params, "", true), this::readMessage, cfg -> {
            Boolean returnImmediately = cfg.bool("returnImmediately");
            return returnImmediately == null || !returnImmediately;
        }, cfg -> {
            JsonInput p = cfg.optionalObject("taskPushNotificationConfig");
            if (p == null) {
                p = cfg.optionalObject("pushNotificationConfig");
            }
            return p == null ? null : readFlatPushConfig(p);
        });
    }

    @Override
    public TaskQuery readTaskQuery(ObjectNode params) {
        JsonInput in = JsonInput.of(params, "", true);
        return new TaskQuery(in.requiredString("id"), in.nonNegative("historyLength"));
    }

    public ListTasksRequest readList(ObjectNode params) {
        JsonInput in = JsonInput.of(params == null ? F.objectNode() : params, "", true);
        Integer pageSize = in.integer("pageSize");
        if (pageSize != null && (pageSize < 1 || pageSize > ListTasksRequest.MAX_PAGE_SIZE)) {
            throw A2aFailure.invalidParams("pageSize", "must be between 1 and "
                    + ListTasksRequest.MAX_PAGE_SIZE);
        }
        TaskState state = null;
        String status = in.string("status");
        if (status != null && !status.isEmpty() && !status.equals("TASK_STATE_UNSPECIFIED")) {
            state = TaskState.fromV10(status).orElseThrow(() ->
                    A2aFailure.invalidParams("status", "is not a task state: " + status));
        }
        Instant after = null;
        String ts = in.string("statusTimestampAfter");
        if (ts != null && !ts.isEmpty()) {
            try {
                after = Instant.parse(ts);
            } catch (DateTimeParseException e) {
                throw A2aFailure.invalidParams("statusTimestampAfter", "must be an ISO-8601 instant");
            }
        }
        Boolean artifacts = in.bool("includeArtifacts");
        String token = in.string("pageToken");
        return new ListTasksRequest(blankToNull(in.string("contextId")), state,
                pageSize == null ? ListTasksRequest.DEFAULT_PAGE_SIZE : pageSize,
                blankToNull(token), in.nonNegative("historyLength"), after,
                artifacts != null && artifacts);
    }

    public Message readMessage(JsonInput in) {
        return ModelJson.readMessage(in, Role::fromV10, "must be ROLE_USER or ROLE_AGENT",
                this::readPart);
    }

    private Part readPart(JsonInput in) {
        String text = in.string("text");
        String raw = in.string("raw");
        String url = in.string("url");
        JsonNode data = in.raw("data");
        int n = (text != null ? 1 : 0) + (raw != null ? 1 : 0) + (url != null ? 1 : 0)
                + (data != null ? 1 : 0);
        if (n != 1) {
            throw A2aFailure.invalidParams(in.path(), "must hold exactly one of text, raw, url, data");
        }
        if (raw != null && !isBase64(raw)) {
            throw A2aFailure.invalidParams(in.where("raw"), "must be base64");
        }
        return new Part(text, raw, url, data, in.object("metadata"), in.string("filename"),
                in.string("mediaType"));
    }

    /** Reads a stored task (our own output); trusted, but checked all the same. */
    public Task readTask(ObjectNode node) {
        JsonInput in = JsonInput.of(node, "task", false);
        TaskStatus status = readStatus(in.requiredObject("status"));
        List<Message> history = new ArrayList<>();
        List<JsonNode> h = in.array("history");
        if (h != null) {
            for (int i = 0; i < h.size(); i++) {
                history.add(readMessage(in.element(h, "history", i)));
            }
        }
        List<Artifact> artifacts = new ArrayList<>();
        List<JsonNode> a = in.array("artifacts");
        if (a != null) {
            for (int i = 0; i < a.size(); i++) {
                artifacts.add(readArtifact(in.element(a, "artifacts", i)));
            }
        }
        return new Task(in.requiredString("id"), in.requiredString("contextId"), status, history,
                artifacts, in.object("metadata"));
    }

    /** Reads a stored artifact (our own output, e.g. a cached one); checked all the same. */
    public Artifact readArtifact(ObjectNode node) {
        return readArtifact(JsonInput.of(node, "artifact", false));
    }

    private Artifact readArtifact(JsonInput in) {
        List<JsonNode> parts = in.array("parts");
        List<Part> out = new ArrayList<>();
        for (int i = 0; parts != null && i < parts.size(); i++) {
            out.add(readPart(in.element(parts, "parts", i)));
        }
        return new Artifact(in.requiredString("artifactId"), in.string("name"),
                in.string("description"), out, in.object("metadata"), in.strings("extensions"));
    }

    @Override
    public PushConfig readPushConfig(ObjectNode params) {
        JsonInput in = JsonInput.of(params, "", true);
        // The flat TaskPushNotificationConfig; older drafts nested it under "config".
        JsonInput nested = in.optionalObject("config");
        if (nested == null) {
            nested = in.optionalObject("pushNotificationConfig");
        }
        PushConfig c = readFlatPushConfig(nested != null ? nested : in);
        String taskId = in.requiredString("taskId");
        String id = blankToNull(c.id() != null ? c.id() : in.string("configId"));
        return c.withIds(id, taskId);
    }

    private PushConfig readFlatPushConfig(JsonInput in) {
        String url = in.requiredString("url");
        JsonInput auth = in.optionalObject("authentication");
        String scheme = null;
        String credentials = null;
        if (auth != null) {
            scheme = blankToNull(auth.string("scheme"));
            credentials = blankToNull(auth.string("credentials"));
        }
        return new PushConfig(blankToNull(in.string("id")), blankToNull(in.string("taskId")), url,
                blankToNull(in.string("token")), scheme, credentials);
    }

    @Override
    public PushConfigQuery readPushConfigQuery(ObjectNode params, boolean needsConfigId) {
        JsonInput in = JsonInput.of(params, "", true);
        String taskId = in.requiredString("taskId");
        String id = needsConfigId ? in.requiredString("id") : null;
        return new PushConfigQuery(taskId, id);
    }

    @Override
    public ObjectNode writePushConfig(PushConfig c) {
        ObjectNode o = F.objectNode();
        putIfSet(o, "id", c.id());
        putIfSet(o, "taskId", c.taskId());
        o.put("url", c.url());
        putIfSet(o, "token", c.token());
        if (c.authScheme() != null) {
            ObjectNode a = o.putObject("authentication");
            a.put("scheme", c.authScheme());
            putIfSet(a, "credentials", c.authCredentials());
        }
        return o;
    }

    @Override
    public JsonNode writePushConfigs(List<PushConfig> configs) {
        ObjectNode o = F.objectNode();
        ArrayNode a = o.putArray("configs");
        configs.forEach(c -> a.add(writePushConfig(c)));
        o.put("nextPageToken", "");
        return o;
    }

    @Override
    public JsonNode deletedPushConfig() {
        return F.objectNode();
    }

    @Override
    public JsonNode writePushBody(StreamEvent event, Task task) {
        return writeStreamEvent(event, false);
    }

    /** Reads a stored event (our own StreamResponse output). */
    public StreamEvent readStreamEvent(ObjectNode node) {
        JsonInput in = JsonInput.of(node, "event", false);
        if (node.has("task")) {
            return new StreamEvent.OfTask(readTask((ObjectNode) node.get("task")));
        }
        if (node.has("message")) {
            return new StreamEvent.OfMessage(readMessage(in.requiredObject("message")));
        }
        if (node.has("statusUpdate")) {
            JsonInput s = in.requiredObject("statusUpdate");
            return new StreamEvent.StatusUpdate(s.requiredString("taskId"),
                    s.requiredString("contextId"), readStatus(s.requiredObject("status")));
        }
        JsonInput a = in.requiredObject("artifactUpdate");
        Boolean append = a.bool("append");
        Boolean last = a.bool("lastChunk");
        return new StreamEvent.ArtifactUpdate(a.requiredString("taskId"),
                a.requiredString("contextId"), readArtifact(a.requiredObject("artifact")),
                append != null && append, last != null && last);
    }

    private TaskStatus readStatus(JsonInput st) {
        TaskState state = TaskState.fromV10(st.requiredString("state")).orElseThrow();
        JsonInput sm = st.optionalObject("message");
        // Another agent's answer may leave it out (ProtoJSON omits unset fields): when we read it.
        String at = st.string("timestamp");
        return new TaskStatus(state, sm == null ? null : readMessage(sm),
                at == null ? Instant.now() : Instant.parse(at));
    }

    // ---- results --------------------------------------------------------------------------------

    @Override
    public ObjectNode writeTask(Task t) {
        return JsonOutput.tree(g -> writeTask(g, t));
    }

    public void writeTask(JsonGenerator g, Task t) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", t.id());
        g.writeStringField("contextId", t.contextId());
        g.writeFieldName("status");
        writeStatus(g, t.status());
        arrayIfAny(g, "artifacts", t.artifacts(), this::writeArtifact);
        arrayIfAny(g, "history", t.history(), this::writeMessage);
        objectIfSet(g, "metadata", t.metadata());
        g.writeEndObject();
    }

    private void writeStatus(JsonGenerator g, TaskStatus s) throws IOException {
        ModelJson.writeStatus(g, s, s.state().v10(), this::writeMessage);
    }

    @Override
    public ObjectNode writeMessage(Message m) {
        return JsonOutput.tree(g -> writeMessage(g, m));
    }

    private void writeMessage(JsonGenerator g, Message m) throws IOException {
        g.writeStartObject();
        g.writeStringField("messageId", m.messageId());
        stringIfSet(g, "contextId", m.contextId());
        stringIfSet(g, "taskId", m.taskId());
        g.writeStringField("role", m.role().v10());
        array(g, "parts", m.parts(), this::writePart);
        ModelJson.writeMessageEnd(g, m);
    }

    public ObjectNode writeArtifact(Artifact a) {
        return JsonOutput.tree(g -> writeArtifact(g, a));
    }

    private void writeArtifact(JsonGenerator g, Artifact a) throws IOException {
        ModelJson.writeArtifact(g, a, this::writePart);
    }

    private void writePart(JsonGenerator g, Part p) throws IOException {
        g.writeStartObject();
        stringIfSet(g, "text", p.text());
        stringIfSet(g, "raw", p.raw());
        stringIfSet(g, "url", p.url());
        if (p.data() != null) {
            g.writeFieldName("data");
            g.writeTree(p.data());
        }
        objectIfSet(g, "metadata", p.metadata());
        stringIfSet(g, "filename", p.filename());
        stringIfSet(g, "mediaType", p.mediaType());
        g.writeEndObject();
    }

    @Override
    public void writeSendResult(JsonGenerator g, SendResult r) throws IOException {
        g.writeStartObject();
        switch (r) {
            case SendResult.OfTask t -> {
                g.writeFieldName("task");
                writeTask(g, t.task());
            }
            case SendResult.OfMessage m -> {
                g.writeFieldName("message");
                writeMessage(g, m.message());
            }
        }
        g.writeEndObject();
    }

    /** A StreamResponse: exactly one of task, message, statusUpdate, artifactUpdate; no final. */
    @Override
    public ObjectNode writeStreamEvent(StreamEvent event, boolean closes) {
        return JsonOutput.tree(g -> writeStreamEvent(g, event));
    }

    /** {@link #writeStreamEvent(StreamEvent, boolean)} to a generator (the stored event). */
    public void writeStreamEvent(JsonGenerator g, StreamEvent event) throws IOException {
        g.writeStartObject();
        switch (event) {
            case StreamEvent.OfTask t -> {
                g.writeFieldName("task");
                writeTask(g, t.task());
            }
            case StreamEvent.OfMessage m -> {
                g.writeFieldName("message");
                writeMessage(g, m.message());
            }
            case StreamEvent.StatusUpdate s -> {
                g.writeObjectFieldStart("statusUpdate");
                g.writeStringField("taskId", s.taskId());
                g.writeStringField("contextId", s.contextId());
                g.writeFieldName("status");
                writeStatus(g, s.status());
                g.writeEndObject();
            }
            case StreamEvent.ArtifactUpdate a -> {
                g.writeObjectFieldStart("artifactUpdate");
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
        g.writeEndObject();
    }

    public JsonNode writeList(ListTasksResult r) {
        return JsonOutput.tree(g -> {
            g.writeStartObject();
            array(g, "tasks", r.tasks(), this::writeTask);
            g.writeStringField("nextPageToken", r.nextPageToken());
            g.writeNumberField("pageSize", r.pageSize());
            g.writeNumberField("totalSize", r.totalSize());
            g.writeEndObject();
        });
    }

    // ---- helpers --------------------------------------------------------------------------------

    static boolean isBase64(String s) {
        try {
            java.util.Base64.getDecoder().decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            try {
                java.util.Base64.getUrlDecoder().decode(s);
                return true;
            } catch (IllegalArgumentException e2) {
                return false;
            }
        }
    }
}
