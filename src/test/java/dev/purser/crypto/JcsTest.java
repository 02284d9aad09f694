package dev.purser.crypto;

import static dev.purser.crypto.TestVectors.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 8785 examples that use only strings, integers and literals. */
class JcsTest {

    @Test
    void escapesStringsAsEcmaScriptDoes() {
        // RFC 8785 §3.2.2 input "string" member and its canonical form.
        String input = "{\"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
                + " \"literals\": [null, true, false]}";
        String expected = "{\"literals\":[null,true,false],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assertEquals(expected, Jcs.canonicalize(parse(input)));
    }

    @Test
    void sortsMembersByUtf16CodeUnits() {
        // RFC 8785 §3.2.3: the emoji (a surrogate pair) sorts before U+FB33.
        String input = "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\","
                + " \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\","
                + " \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
                + " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertEquals(expected, Jcs.canonicalize(parse(input)));
    }

    @Test
    void sortsNestedObjectsKeepsArrayOrderAndDropsWhitespace() {
        String input = "{ \"b\": [3, {\"z\": 1, \"a\": -2}], \"a\": {\"y\": null, \"x\": \"\"} }";
        assertEquals("{\"a\":{\"x\":\"\",\"y\":null},\"b\":[3,{\"a\":-2,\"z\":1}]}",
                Jcs.canonicalize(parse(input)));
    }

    @Test
    void writesIntegersExactlyUpToTwoToTheFiftyThree() {
        assertEquals("[0,-1,9007199254740991,-9007199254740991]",
                Jcs.canonicalize(parse("[0,-1,9007199254740991,-9007199254740991]")));
    }

    @Test
    void refusesFractionsAndIntegersThatADoubleWouldRound() {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(parse("[1.5]")));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(parse("[1.0]")));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(parse("[1e3]")));
        assertThrows(IllegalArgumentException.class,
                () -> Jcs.canonicalize(parse("[9007199254740993]")));
    }

    @Test
    void refusesLoneSurrogates() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("a", "\ud83d");
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(node));
    }

    @Test
    void emitsUtf8AndHashesTheCanonicalBytes() {
        assertEquals("{\"a\":\"€\"}", new String(Jcs.canonicalBytes(parse("{\"a\":\"\\u20ac\"}")),
                StandardCharsets.UTF_8));
        assertEquals(Sha256.hash("{\"a\":1,\"b\":2}".getBytes(StandardCharsets.UTF_8)),
                Jcs.sha256(parse("{\"b\":2,\"a\":1}")));
        // SHA-256("abc"), FIPS 180-2: the helper is plain SHA-256.
        assertEquals("0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Sha256.hash("abc".getBytes(StandardCharsets.US_ASCII)).hex());
    }
}
