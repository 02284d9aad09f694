package dev.purser.a2a.spec;

import static dev.purser.a2a.spec.JsonOutput.array;
import static dev.purser.a2a.spec.JsonOutput.objectIfSet;
import static dev.purser.a2a.spec.JsonOutput.stringIfSet;
import static dev.purser.a2a.spec.JsonOutput.strings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The model's JSON where both wire versions spell it alike, written once: each codec
 * ({@link V10Json}, {@code v03.V03Json}) passes in what it spells its own way (a part, a role
 * name, a state name, how a send asks not to block, a push config), so 0.3 is still converted to
 * and from the one model at the edge.
 */
public final class ModelJson {

    private ModelJson() {
    }

    /**
     * A send request's params: {@code message}, then {@code configuration} (whether it blocks as
     * {@code blocking} reads it, historyLength, acceptedOutputModes, a push config as {@code push}
     * reads it or null), then metadata. Absent configuration blocks.
     */
    public static SendMessageRequest readSend(JsonInput in, Function<JsonInput, Message> messages,
            Predicate<JsonInput> blocking, Function<JsonInput, PushConfig> push) {
        Message message = messages.apply(in.requiredObject("message"));
        JsonInput cfg = in.optionalObject("configuration");
        if (cfg == null) {
            return new SendMessageRequest(message, true, null, null, in.object("metadata"), null);
        }
        boolean blocks = blocking.test(cfg);
        Integer historyLength = cfg.nonNegative("historyLength");
        List<String> modes = cfg.strings("acceptedOutputModes");
        PushConfig config = push.apply(cfg);
        return new SendMessageRequest(message, blocks, historyLength, modes, in.object("metadata"),
                config);
    }

    /**
     * A message: its id, its role ({@code roles} reads the name; {@code roleRule} says what it
     * must be), at least one part ({@code parts} reads each), then the optional fields.
     */
    public static Message readMessage(JsonInput in, Function<String, Optional<Role>> roles,
            String roleRule, Function<JsonInput, Part> parts) {
        String messageId = in.requiredString("messageId");
        String roleName = in.requiredString("role");
        Role role = roles.apply(roleName).orElseThrow(() ->
                A2aFailure.invalidParams(in.where("role"), roleRule));
        List<JsonNode> items = in.array("parts");
        if (items == null || items.isEmpty()) {
            throw A2aFailure.invalidParams(in.where("parts"), "must hold at least one part");
        }
        List<Part> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(parts.apply(in.element(items, "parts", i)));
        }
        return new Message(messageId, role, out, blankToNull(in.string("contextId")),
                blankToNull(in.string("taskId")), in.object("metadata"), in.strings("extensions"),
                in.strings("referenceTaskIds"));
    }

    /** A status: {@code state} (the version's name for it), message if any, timestamp. */
    public static void writeStatus(JsonGenerator g, TaskStatus s, String state,
            JsonOutput.Writer<Message> messages) throws IOException {
        g.writeStartObject();
        g.writeStringField("state", state);
        if (s.message() != null) {
            g.writeFieldName("message");
            messages.write(g, s.message());
        }
        g.writeStringField("timestamp", s.timestamp().toString());
        g.writeEndObject();
    }

    /** The fields every message ends with, in both versions: metadata, extensions, references. */
    public static void writeMessageEnd(JsonGenerator g, Message m) throws IOException {
        objectIfSet(g, "metadata", m.metadata());
        strings(g, "extensions", m.extensions());
        strings(g, "referenceTaskIds", m.referenceTaskIds());
        g.writeEndObject();
    }

    /** An artifact, its parts as {@code parts} writes each. */
    public static void writeArtifact(JsonGenerator g, Artifact a, JsonOutput.Writer<Part> parts)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("artifactId", a.artifactId());
        stringIfSet(g, "name", a.name());
        stringIfSet(g, "description", a.description());
        array(g, "parts", a.parts(), parts);
        objectIfSet(g, "metadata", a.metadata());
        strings(g, "extensions", a.extensions());
        g.writeEndObject();
    }

    /** Optional wire strings: absent and empty both mean unset. */
    public static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
