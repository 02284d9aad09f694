package dev.purser.metered;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * A {@code chat/completions} request as Purser prices it (DESIGN §11 "Calls"). The input bound is
 * the UTF-8 byte length of {@code messages} and {@code tools} as compact JSON: a token covers at
 * least one byte, so it never undercounts. The output bound is {@code max_completion_tokens}, else
 * {@code max_tokens}, else the model's {@code maxOutput} — per choice, so times {@code n}.
 *
 * @param body the request as sent, fractions kept as written (BigDecimal)
 * @param perChoiceLimit the caller's own token limit, when it set one
 * @param clientWantsUsage the caller asked for the usage chunk of a stream
 */
record ChatRequest(ObjectNode body, String model, boolean stream, boolean clientWantsUsage,
        long inputBound, OptionalLong perChoiceLimit, int choices, boolean temperatureZero) {

    static final int MAX_CHOICES = 128;
    private static final int MAX_MODEL_LENGTH = 200;

    static ChatRequest parse(JsonNode tree, ObjectMapper json) {
        if (!(tree instanceof ObjectNode body)) {
            throw CallError.badRequest(null, "the request body must be a JSON object").asException();
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()
                || model.asText().length() > MAX_MODEL_LENGTH) {
            throw CallError.badRequest("model", "model must be a model id (a non-empty string of"
                    + " at most " + MAX_MODEL_LENGTH + " characters)").asException();
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw CallError.badRequest("messages", "messages must be a non-empty array")
                    .asException();
        }
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isNull() && !tools.isArray()) {
            throw CallError.badRequest("tools", "tools must be an array").asException();
        }
        OptionalLong limit = limit(body, "max_completion_tokens");
        if (limit.isEmpty()) {
            limit = limit(body, "max_tokens");
        }
        int n = 1;
        JsonNode nNode = body.get("n");
        if (nNode != null && !nNode.isNull()) {
            if (!nNode.canConvertToExactIntegral() || nNode.asLong() < 1
                    || nNode.asLong() > MAX_CHOICES) {
                throw CallError.badRequest("n", "n must be an integer from 1 to " + MAX_CHOICES)
                        .asException();
            }
            n = nNode.asInt();
        }
        boolean stream = flag(body, "stream", "stream");
        JsonNode options = body.get("stream_options");
        boolean wantsUsage = options != null && options.isObject() && flag(options, "include_usage",
                "stream_options.include_usage");
        long input = bytes(json, messages) + (tools == null || tools.isNull() ? 0 : bytes(json, tools));
        JsonNode temperature = body.get("temperature");
        boolean zero = temperature != null && temperature.isNumber()
                && temperature.decimalValue().signum() == 0;
        return new ChatRequest(body, model.asText(), stream, wantsUsage, input, limit, n, zero);
    }

    /** The output tokens reserved for: every choice at its limit. */
    long outputBound(long modelMaxOutput) {
        return Math.multiplyExact(perChoiceLimit.orElse(modelMaxOutput), (long) choices);
    }

    /** The per-choice limit for an output bound (what the upstream is told). */
    long perChoice(long outputBound) {
        return outputBound / choices;
    }

    /**
     * The request as the upstream gets it: its token limit set to what was reserved (in the
     * field the caller used, {@code max_tokens} when it used none), and for a stream the usage
     * chunk asked for.
     */
    ObjectNode forUpstream(long perChoiceLimit) {
        ObjectNode out = body.deepCopy();
        boolean completionField = out.hasNonNull("max_completion_tokens");
        if (completionField) {
            out.put("max_completion_tokens", perChoiceLimit);
        }
        if (!completionField || out.hasNonNull("max_tokens")) {
            out.put("max_tokens", perChoiceLimit);
        }
        if (stream) {
            JsonNode options = out.get("stream_options");
            ObjectNode o = options instanceof ObjectNode on ? on : out.putObject("stream_options");
            o.put("include_usage", true);
        }
        return out;
    }

    private static OptionalLong limit(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 1) {
            throw CallError.badRequest(field, field + " must be a positive integer").asException();
        }
        return OptionalLong.of(v.asLong());
    }

    /** {@code path} names the field in the request, for the error. */
    private static boolean flag(JsonNode body, String field, String path) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw CallError.badRequest(path, path + " must be true or false").asException();
        }
        return v.asBoolean();
    }

    private static long bytes(ObjectMapper json, JsonNode node) {
        try {
            return json.writeValueAsString(node).getBytes(StandardCharsets.UTF_8).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree always writes", e);
        }
    }
}
