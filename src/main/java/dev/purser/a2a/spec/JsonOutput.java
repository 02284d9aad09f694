package dev.purser.a2a.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Writing rules both codecs share: ProtoJSON-style omission of unset and empty fields. */
public final class JsonOutput {

    private JsonOutput() {
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
