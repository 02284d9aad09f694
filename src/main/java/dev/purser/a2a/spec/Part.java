package dev.purser.a2a.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One piece of content, in the 1.0 model: exactly one of text, raw bytes (base64), url or data.
 * The 0.3 kinds (text, file, data) convert to and from this at the edge.
 */
public record Part(String text, String raw, String url, JsonNode data, ObjectNode metadata,
        String filename, String mediaType) {

    public Part {
        int contents = (text != null ? 1 : 0) + (raw != null ? 1 : 0) + (url != null ? 1 : 0)
                + (data != null ? 1 : 0);
        if (contents != 1) {
            throw new IllegalArgumentException("a part holds exactly one of text, raw, url, data");
        }
    }

    public static Part text(String text) {
        return new Part(Objects.requireNonNull(text), null, null, null, null, null, null);
    }

    public boolean isText() {
        return text != null;
    }
}
