package dev.purser.crypto;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The JSON reader for token parts. Package-private. */
final class TokenJson {

    /**
     * Duplicate member names are refused (RFC 7515 §5.2 allows only refusing or taking the last,
     * and two parsers taking different ones is how signature bypasses happen). Fractions are read
     * as BigDecimal, exact, because AP2 writes amounts such as {@code budget.max} as JSON numbers.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TokenJson() {
    }

    /** @throws IllegalArgumentException if {@code utf8} is not one JSON value */
    static JsonNode read(byte[] utf8) {
        try {
            JsonNode node = MAPPER.readTree(utf8);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("empty JSON");
            }
            return node;
        } catch (IOException e) {
            // Covers malformed UTF-8 as well as malformed JSON.
            String reason = e instanceof JsonProcessingException json
                    ? json.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("invalid JSON: " + reason);
        }
    }
}
