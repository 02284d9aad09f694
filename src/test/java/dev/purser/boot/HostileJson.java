package dev.purser.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of malformed and hostile request bodies for the JSON entry points: well-formed JSON
 * of the wrong shape (member names the endpoints read, values of every type, huge and odd numbers,
 * long and strange strings), and text that is not JSON at all or nests past the parser's limit.
 */
final class HostileJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private HostileJson() {
    }

    /** Any body: mostly JSON objects using {@code members}, some malformed text. */
    static Arbitrary<String> body(List<String> members) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, object(members, 3).map(JsonNode::toString)),
                net.jqwik.api.Tuple.of(2, value(members, 2).map(JsonNode::toString)),
                net.jqwik.api.Tuple.of(3, malformed()));
    }

    static Arbitrary<ObjectNode> object(List<String> members, int depth) {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(members),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<JsonNode> val = depth <= 0 ? scalar() : Arbitraries.lazy(() -> value(members, depth - 1));
        return Combinators.combine(key, val).as(net.jqwik.api.Tuple::of).list().ofMaxSize(6)
                .map(entries -> {
                    ObjectNode o = F.objectNode();
                    entries.forEach(e -> o.set(e.get1(), e.get2()));
                    return o;
                });
    }

    static Arbitrary<JsonNode> value(List<String> members, int depth) {
        if (depth <= 0) {
            return scalar();
        }
        Arbitrary<JsonNode> array = Arbitraries.lazy(() -> value(members, depth - 1)).list()
                .ofMaxSize(4).map(items -> {
                    ArrayNode a = F.arrayNode();
                    items.forEach(a::add);
                    return a;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, scalar()),
                net.jqwik.api.Tuple.of(2, array),
                net.jqwik.api.Tuple.of(3, Arbitraries.lazy(() -> object(members, depth - 1))
                        .map(o -> (JsonNode) o)));
    }

    static Arbitrary<JsonNode> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.just(F.nullNode()),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.longs().map(F::numberNode),
                Arbitraries.of("1e999999", "-0", "0.1", "-1", "1" + "0".repeat(80),
                        "340282366920938463463374607431768211456").map(n -> F.numberNode(
                                new BigDecimal(n))),
                text().map(F::textNode));
    }

    /** Strings a validator has to read carefully. */
    static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("", " ", "0x", "0x" + "f".repeat(64), "0x" + "0".repeat(40),
                        "0x" + "g".repeat(64), "-1", "1000000", "99999999999999999999999",
                        "text", "user", "agent", "message", "exact", "eip155:84532",
                        "\u0000", "\uD800", "../../etc/passwd", "<script>", "'; drop table x;--",
                        "%00", "${jndi:ldap://x}"),
                Arbitraries.integers().between(1_000, 70_000).map("a"::repeat),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(20).ofMaxLength(200));
    }

    /** Bodies that are not JSON, or are JSON past a limit (nesting). */
    static Arbitrary<String> malformed() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.of("", "{", "}", "[", "{\"a\":", "{\"a\" 1}", "nul", "\uFEFF{}",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", "{'a':1}", "{\"a\":1}}",
                        "{\"a\":1,\"a\":2}", "[1,]", "{\"a\":NaN}", "{\"a\":01}"),
                Arbitraries.integers().between(60, 3000).map(n -> "[".repeat(n) + "]".repeat(n)),
                Arbitraries.integers().between(60, 3000)
                        .map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)));
    }
}
