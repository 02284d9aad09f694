package dev.purser.a2a.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads request fields with errors that name the field. With {@code lenient}, a camelCase name
 * also matches its proto snake_case spelling, as ProtoJSON parsers do (spec §2 "Input leniency").
 */
public record JsonInput(ObjectNode node, String path, boolean lenient) {

    public static JsonInput of(ObjectNode node, String path, boolean lenient) {
        return new JsonInput(node, path, lenient);
    }

    public JsonNode raw(String name) {
        JsonNode v = node.get(name);
        if ((v == null || v.isNull()) && lenient) {
            v = node.get(snake(name));
        }
        return v == null || v.isNull() ? null : v;
    }

    public String where(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public String string(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw A2aFailure.invalidParams(where(name), "must be a string");
        }
        return v.asText();
    }

    public String requiredString(String name) {
        String s = string(name);
        if (s == null || s.isEmpty()) {
            throw A2aFailure.invalidParams(where(name), "is required");
        }
        return s;
    }

    public Integer integer(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            // ProtoJSON also allows int32 as a string of digits
            if (v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
                return Integer.parseInt(v.asText());
            }
            throw A2aFailure.invalidParams(where(name), "must be an integer");
        }
        return v.intValue();
    }

    public Integer nonNegative(String name) {
        Integer i = integer(name);
        if (i != null && i < 0) {
            throw A2aFailure.invalidParams(where(name), "must not be negative");
        }
        return i;
    }

    public Boolean bool(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw A2aFailure.invalidParams(where(name), "must be a boolean");
        }
        return v.booleanValue();
    }

    public ObjectNode object(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw A2aFailure.invalidParams(where(name), "must be an object");
        }
        return (ObjectNode) v;
    }

    public JsonInput requiredObject(String name) {
        ObjectNode o = object(name);
        if (o == null) {
            throw A2aFailure.invalidParams(where(name), "is required");
        }
        return new JsonInput(o, where(name), lenient);
    }

    public JsonInput optionalObject(String name) {
        ObjectNode o = object(name);
        return o == null ? null : new JsonInput(o, where(name), lenient);
    }

    public List<JsonNode> array(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw A2aFailure.invalidParams(where(name), "must be an array");
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    public List<String> strings(String name) {
        List<JsonNode> a = array(name);
        if (a == null) {
            return null;
        }
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isTextual()) {
                throw A2aFailure.invalidParams(where(name) + "[" + i + "]", "must be a string");
            }
            out.add(a.get(i).asText());
        }
        return out;
    }

    public JsonInput element(List<JsonNode> items, String name, int i) {
        JsonNode n = items.get(i);
        String at = where(name) + "[" + i + "]";
        if (!n.isObject()) {
            throw A2aFailure.invalidParams(at, "must be an object");
        }
        return new JsonInput((ObjectNode) n, at, lenient);
    }

    static String snake(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
