package dev.purser.market;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The JSON text columns of the market tables (headers, tags, modes): written by this code only, so
 * a column that does not parse is a bug, not bad input.
 */
@ApplicationScoped
class JsonColumns {

    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    private final ObjectMapper json;

    JsonColumns(ObjectMapper json) {
        this.json = json;
    }

    Map<String, String> map(String object) {
        return read(object, STRINGS);
    }

    List<String> list(String array) {
        return read(array, LIST);
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("market: a JSON column always serialises", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("market: a stored JSON column does not parse", e);
        }
    }
}
