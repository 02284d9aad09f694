package dev.purser.a2a.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writing rules both codecs share: ProtoJSON-style omission of unset and empty fields. The model
 * is written once, to a {@link JsonGenerator}: straight to bytes on the hot path (a send's answer,
 * a stored task), and through {@link #tree} where a caller wants a JSON tree.
 */
public final class JsonOutput {

    /** Only the codec of trees: the trees this class builds and the objects written into them. */
    private static final ObjectMapper TREES = new ObjectMapper();

    private JsonOutput() {
    }

    /** Writes one JSON value to a generator. */
    @FunctionalInterface
    public interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    /** Writes one model value (a part, a message) to a generator. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    /** The tree of what {@code w} writes (an object, or any value {@code w} writes). */
    @SuppressWarnings("unchecked")
    public static <N extends JsonNode> N tree(Writing w) {
        try (TokenBuffer b = new TokenBuffer(TREES, false)) {
            w.write(b);
            return (N) TREES.readTree(b.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("a token buffer never fails", e);
        }
    }

    public static void stringIfSet(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    public static void strings(JsonGenerator g, String name, List<String> values)
            throws IOException {
        if (!values.isEmpty()) {
            g.writeArrayFieldStart(name);
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        }
    }

    public static void objectIfSet(JsonGenerator g, String name, ObjectNode value)
            throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeFieldName(name);
            g.writeTree(value);
        }
    }

    /** Each value as {@code w} writes it, in an array field; nothing when there are none. */
    public static <T> void arrayIfAny(JsonGenerator g, String name, List<T> values, Writer<T> w)
            throws IOException {
        if (!values.isEmpty()) {
            array(g, name, values, w);
        }
    }

    /** Each value as {@code w} writes it, in an array field, even an empty one. */
    public static <T> void array(JsonGenerator g, String name, List<T> values, Writer<T> w)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (T v : values) {
            w.write(g, v);
        }
        g.writeEndArray();
    }

    public static void putIfSet(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    public static void putStrings(ObjectNode o, String name, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = o.putArray(name);
            values.forEach(a::add);
        }
    }

    public static void putObjectIfSet(ObjectNode o, String name, ObjectNode value) {
        if (value != null && !value.isEmpty()) {
            o.set(name, value);
        }
    }
}
