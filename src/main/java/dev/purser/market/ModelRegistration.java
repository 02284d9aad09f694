package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model upstream registration body (DESIGN §11 "Upstreams"): {@code {"baseUrl", "headers"?,
 * "fee"?, "models": {"<model id>": {"input", "output", "maxOutput"?, "cacheTtl"?}}}}, prices in
 * atomic units per million tokens. Checked here, each refusal naming its field; {@code fee},
 * {@code headers} and {@code cacheTtl} follow the provider rules ({@link Registration}).
 *
 * @param baseUrl the OpenAI base URL (e.g. {@code https://api.openai.com/v1}), without a trailing
 *     slash: one spelling per upstream, the key that makes a second registration an update
 */
record ModelRegistration(String baseUrl, Fee fee, Map<String, Terms> models,
        Optional<Map<String, String>> headers) {

    /** One model's prices and limits, as the operator gave them. */
    record Terms(long inputPerMillion, long outputPerMillion, Optional<Long> maxOutput,
            Optional<Duration> cacheTtl) {
    }

    @Override
    public String toString() { // never the headers: they hold credentials
        return "ModelRegistration[" + baseUrl + ", models " + models.keySet() + "]";
    }

    static final int MAX_MODEL_ID = 200;
    /** Tokens: OpenAI's token limits are 32-bit integers. */
    static final long MAX_OUTPUT = Integer.MAX_VALUE;
    private static final Set<String> FIELDS = Set.of("baseUrl", "headers", "fee", "models");
    private static final Set<String> MODEL_FIELDS = Set.of("input", "output", "maxOutput", "cacheTtl");

    /** @throws MarketRefusal.Refused {@code invalid}, naming the field */
    static ModelRegistration parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Registration.invalid(null, "the body must be a JSON object");
        }
        unknown(body, FIELDS, "", "baseUrl, headers, fee, models");
        Fee fee = Registration.fee(body.get("fee"));
        return new ModelRegistration(baseUrl(body.get("baseUrl")), fee, models(body.get("models"), fee),
                Registration.headers(body.get("headers")));
    }

    private static String baseUrl(JsonNode n) {
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw Registration.invalid("baseUrl",
                    "baseUrl is required: the upstream's OpenAI base URL, e.g. https://api.openai.com/v1");
        }
        String url = n.asText().strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (!Registration.isHttpUrl(url)) {
            throw Registration.invalid("baseUrl", "baseUrl must be an absolute http or https URL");
        }
        URI u = URI.create(url);
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw Registration.invalid("baseUrl", "baseUrl must have no query, fragment or user"
                    + " info (credentials go in headers)");
        }
        return url;
    }

    private static Map<String, Terms> models(JsonNode models, Fee fee) {
        if (models == null || !models.isObject() || models.isEmpty()) {
            throw Registration.invalid("models", "models must be an object naming at least one model:"
                    + " {\"<model id>\": {\"input\", \"output\"}}");
        }
        Map<String, Terms> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : models.properties()) {
            String id = e.getKey();
            String field = "models." + id;
            checkModelId(id, field);
            JsonNode t = e.getValue();
            if (t == null || !t.isObject()) {
                throw Registration.invalid(field, field + " must be an object: {\"input\", \"output\","
                        + " \"maxOutput\"?, \"cacheTtl\"?}");
            }
            unknown(t, MODEL_FIELDS, field + ".", "input, output, maxOutput, cacheTtl");
            long input = Registration.atomic(t.get("input"), field + ".input");
            long output = Registration.atomic(t.get("output"), field + ".output");
            Optional<Long> maxOutput = Optional.empty();
            JsonNode max = t.get("maxOutput");
            if (max != null && !max.isNull()) {
                if (!max.isIntegralNumber() || !max.canConvertToLong() || max.asLong() < 1
                        || max.asLong() > MAX_OUTPUT) {
                    throw Registration.invalid(field + ".maxOutput", field
                            + ".maxOutput must be a whole number of tokens, 1 to " + MAX_OUTPUT);
                }
                maxOutput = Optional.of(max.asLong());
            }
            Optional<Duration> ttl = t.hasNonNull("cacheTtl")
                    ? Optional.of(Registration.duration(t.get("cacheTtl"), field + ".cacheTtl"))
                    : Optional.empty();
            checkFits(input, output, fee, field);
            out.put(id, new Terms(input, output, maxOutput, ttl));
        }
        return Map.copyOf(out);
    }

    /** Non-empty, not blank, at most {@value #MAX_MODEL_ID} characters, no control characters. */
    private static void checkModelId(String id, String field) {
        if (id.isBlank() || id.codePointCount(0, id.length()) > MAX_MODEL_ID
                || id.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
            throw Registration.invalid(field, "a model id must be 1 to " + MAX_MODEL_ID
                    + " characters, not blank, without control characters");
        }
    }

    /** The nominal price (a million tokens each way, fee included) must fit in a long. */
    private static void checkFits(long input, long output, Fee fee, String field) {
        long upstream;
        try {
            upstream = Math.addExact(input, output);
        } catch (ArithmeticException e) {
            throw Registration.invalid(field + ".output", field
                    + ": input + output must not exceed 9223372036854775807 atomic units");
        }
        try {
            Math.addExact(upstream, fee.on(upstream));
        } catch (ArithmeticException e) {
            throw Registration.invalid("fee", "the fee on model '" + field.substring(7)
                    + "' makes its price exceed 9223372036854775807 atomic units");
        }
    }

    private static void unknown(JsonNode object, Set<String> known, String prefix, String list) {
        for (String name : (Iterable<String>) object::fieldNames) {
            if (!known.contains(name)) {
                throw Registration.invalid(prefix + name, prefix + name + " is not a field here: "
                        + list);
            }
        }
    }
}
