package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.money.Amount;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider registration body (DESIGN §9 "Register"): {@code {"cardUrl", "fee"?: {"bps": n} |
 * {"amount": "atomic"}, "skills"?: {"<id>": {"price"?, "cacheTtl"?}}, "headers"?}}. Structure is
 * checked here, each refusal naming its field; meaning (the card) is checked by {@link Providers}.
 *
 * @param skills the operator's terms per remote skill id; empty = import every skill of the card
 */
record Registration(String cardUrl, Fee fee, Optional<Map<String, SkillTerms>> skills,
        Optional<Map<String, String>> headers) {

    /** @param price the caller-independent provider price override, atomic units */
    record SkillTerms(Optional<Long> price, Optional<Duration> cacheTtl) {
    }

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern SHORT_DURATION = Pattern.compile("([1-9][0-9]{0,8})(ms|s|m|h|d)");
    /** Headers the HTTP client sets itself and refuses to take from us. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect",
            "host", "upgrade");

    /** @throws MarketRefusal.Refused {@code invalid}, naming the field */
    static Registration parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid(null, "the body must be a JSON object");
        }
        JsonNode url = body.get("cardUrl");
        if (url == null || !url.isTextual() || url.asText().isBlank()) {
            throw invalid("cardUrl", "cardUrl is required: the provider's agent card URL");
        }
        String cardUrl = url.asText().strip();
        if (!isHttpUrl(cardUrl)) {
            throw invalid("cardUrl", "cardUrl must be an absolute http or https URL");
        }
        if (URI.create(cardUrl).getRawUserInfo() != null) {
            throw invalid("cardUrl", "cardUrl must not carry credentials (user info): give them in"
                    + " headers, which are kept sealed");
        }
        return new Registration(cardUrl, fee(body.get("fee")), skills(body.get("skills")),
                headers(body.get("headers")));
    }

    @Override
    public String toString() { // never the headers: they hold credentials
        return "Registration[" + cardUrl + ", fee " + fee + "]";
    }

    /** The body as stored for refreshes: everything but the headers, which are kept apart. */
    static ObjectNode skillsJson(Optional<Map<String, SkillTerms>> skills) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        skills.orElse(Map.of()).forEach((id, t) -> {
            ObjectNode s = out.putObject(id);
            t.price().ifPresent(p -> s.put("price", Long.toString(p)));
            t.cacheTtl().ifPresent(d -> s.put("cacheTtl", d.toString())); // ISO-8601, parsed back
        });
        return out;
    }

    static boolean isHttpUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null
                    && !u.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static Fee fee(JsonNode fee) {
        if (fee == null || fee.isNull()) {
            return Fee.NONE;
        }
        if (!fee.isObject() || fee.size() != 1 || !(fee.has("bps") || fee.has("amount"))) {
            throw invalid("fee", "fee must be {\"bps\": n} or {\"amount\": \"atomic units\"}");
        }
        if (fee.has("bps")) {
            JsonNode bps = fee.get("bps");
            if (!bps.canConvertToInt() || !bps.isIntegralNumber() || bps.asInt() < 0
                    || bps.asInt() > Fee.MAX_BPS) {
                throw invalid("fee.bps", "fee.bps must be a whole number of basis points, 0 to "
                        + Fee.MAX_BPS);
            }
            return Fee.bps(bps.asInt());
        }
        return Fee.amount(atomic(fee.get("amount"), "fee.amount"));
    }

    private static Optional<Map<String, SkillTerms>> skills(JsonNode skills) {
        if (skills == null || skills.isNull()) {
            return Optional.empty();
        }
        if (!skills.isObject()) {
            throw invalid("skills", "skills must be an object keyed by remote skill id");
        }
        Map<String, SkillTerms> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : skills.properties()) {
            String field = "skills." + e.getKey();
            JsonNode t = e.getValue();
            if (e.getKey().isBlank() || t == null || !(t.isObject() || t.isNull())) {
                throw invalid(field, field + " must be an object: {\"price\"?, \"cacheTtl\"?}");
            }
            Optional<Long> price = t.hasNonNull("price")
                    ? Optional.of(atomic(t.get("price"), field + ".price")) : Optional.empty();
            Optional<Duration> ttl = t.hasNonNull("cacheTtl")
                    ? Optional.of(duration(t.get("cacheTtl"), field + ".cacheTtl")) : Optional.empty();
            out.put(e.getKey(), new SkillTerms(price, ttl));
        }
        return Optional.of(Map.copyOf(out));
    }

    static Optional<Map<String, String>> headers(JsonNode headers) {
        if (headers == null || headers.isNull()) {
            return Optional.empty();
        }
        if (!headers.isObject()) {
            throw invalid("headers", "headers must be an object of header name to value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : headers.properties()) {
            String field = "headers." + e.getKey();
            if (!TOKEN.matcher(e.getKey()).matches()
                    || RESTRICTED.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                throw invalid(field, "'" + e.getKey() + "' is not a header Purser can send");
            }
            if (!e.getValue().isTextual() || e.getValue().asText().chars()
                    .anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw invalid(field, field + " must be a string on one line");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return Optional.of(Map.copyOf(out));
    }

    static long atomic(JsonNode n, String field) {
        if (n == null || !n.isTextual()) {
            throw invalid(field, field + " must be a decimal string of atomic units");
        }
        return Amount.parse(n.asText()).toOptional().map(Amount::units)
                .orElseThrow(() -> invalid(field, field + " must be a decimal string of atomic units"));
    }

    /** {@code 10m}, {@code 30s}, {@code 1h}, {@code 500ms}, {@code 1d}, or ISO-8601 {@code PT10M}. */
    static Duration duration(JsonNode n, String field) {
        String text = n.isTextual() ? n.asText().strip() : "";
        Matcher m = SHORT_DURATION.matcher(text);
        Duration d = null;
        if (m.matches()) {
            long v = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(v);
                case "s" -> Duration.ofSeconds(v);
                case "m" -> Duration.ofMinutes(v);
                case "h" -> Duration.ofHours(v);
                default -> Duration.ofDays(v);
            };
        } else if (text.startsWith("P") || text.startsWith("p")) {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.isNegative() || d.isZero() || d.toMillis() <= 0) {
            throw invalid(field, field + " must be a positive duration such as \"10m\" or \"30s\"");
        }
        return d;
    }

    static MarketRefusal.Refused invalid(String field, String message) {
        return MarketRefusal.invalid(field, message).exception();
    }
}
