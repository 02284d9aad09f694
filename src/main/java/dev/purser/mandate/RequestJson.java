package dev.purser.mandate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads request bodies. Duplicate member names are refused before anything else: the schema
 * validator parses the same text with its own parser, and two parsers that resolve a duplicate
 * differently are how a checked document and a signed one come apart. Fractions are read exactly
 * (AP2 writes {@code budget.max} as a JSON number).
 */
final class RequestJson {

    /** Far above any real request (an AP2 chain is a few KiB); bounds a caller's work. */
    static final int MAX_CHARS = 300 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RequestJson() {
    }

    /** The JSON object in {@code body}, or the refusal {@code invalid}. */
    static Read read(String body) {
        if (body == null || body.isBlank()) {
            return refusal("the body is empty");
        }
        if (body.length() > MAX_CHARS) {
            return refusal("the body exceeds " + MAX_CHARS + " characters");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                return refusal("the body must be a JSON object");
            }
            return new Read.Object(node);
        } catch (JsonProcessingException e) {
            return refusal("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree built by this mapper always serializes; failing here is a bug.
            throw new IllegalStateException(e);
        }
    }

    private static Read refusal(String message) {
        return new Read.Refused(MandateRefusal.of(MandateRefusal.Reason.INVALID, "", message));
    }

    /** A JSON object, or why the body is not one. */
    sealed interface Read permits Read.Object, Read.Refused {
        record Object(JsonNode json) implements Read {
        }

        record Refused(MandateRefusal refusal) implements Read {
        }
    }
}
