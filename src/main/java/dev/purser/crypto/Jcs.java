package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme: one byte sequence per JSON value, so that a hash over
 * it (the ledger's hash chain, DESIGN §8) can be recomputed by anyone with any JSON library.
 * Object members are sorted by their names' UTF-16 code units, strings are escaped as ECMAScript's
 * {@code JSON.stringify} does, and there is no whitespace.
 *
 * <p>Numbers are limited to integers of magnitude at most 2^53 - 1. RFC 8785 serializes numbers
 * as IEEE 754 doubles formatted by ECMAScript's {@code Number.prototype.toString}; in that range
 * the result is exactly the integer's decimal digits, with no rounding. A fraction, or an integer
 * beyond it, would need the full double-formatting algorithm, and its canonical text could differ
 * from what the writer meant (2^53 + 1 is canonicalized as 9007199254740992). Purser carries
 * amounts as decimal strings and times as unix seconds, so it never needs those numbers, and
 * refusing them beats hashing a value nobody wrote.
 */
public final class Jcs {

    /** 2^53 - 1, the largest integer a double holds exactly along with all smaller ones. */
    private static final BigInteger MAX_SAFE_INTEGER = BigInteger.valueOf(9007199254740991L);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Jcs() {
    }

    /** The canonical text. @throws IllegalArgumentException for values outside the subset */
    public static String canonicalize(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** The canonical UTF-8 bytes, the input to hashing. */
    public static byte[] canonicalBytes(JsonNode value) {
        return canonicalize(value).getBytes(StandardCharsets.UTF_8);
    }

    /** SHA-256 of the canonical bytes: a journal entry's {@code hash}. */
    public static Bytes32 sha256(JsonNode value) {
        return Sha256.hash(canonicalBytes(value));
    }

    private static void write(JsonNode value, StringBuilder out) {
        if (value == null) {
            throw new IllegalArgumentException("JCS: no value");
        }
        switch (value.getNodeType()) {
            case OBJECT -> writeObject(value, out);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < value.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(value.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(value.textValue(), out);
            case NUMBER -> writeNumber(value, out);
            case BOOLEAN -> out.append(value.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException(
                    "JCS: not a JSON value: " + value.getNodeType());
        }
    }

    private static void writeObject(JsonNode object, StringBuilder out) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(object.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            members.add(it.next());
        }
        // String.compareTo compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 asks.
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(members.get(i).getKey(), out);
            out.append(':');
            write(members.get(i).getValue(), out);
        }
        out.append('}');
    }

    private static void writeNumber(JsonNode number, StringBuilder out) {
        if (!number.isIntegralNumber()) {
            throw new IllegalArgumentException("JCS: fractional numbers are not supported; "
                    + "carry such values as strings");
        }
        BigInteger value = number.bigIntegerValue();
        if (value.abs().compareTo(MAX_SAFE_INTEGER) > 0) {
            throw new IllegalArgumentException("JCS: integer beyond +/-(2^53 - 1) would be "
                    + "rounded; carry it as a string");
        }
        out.append(value);
    }

    /** ECMAScript JSON.stringify escaping (RFC 8785 §3.2.2.2). */
    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c)) {
                        boolean paired = i + 1 < text.length()
                                && Character.isLowSurrogate(text.charAt(i + 1));
                        if (!paired) {
                            throw new IllegalArgumentException("JCS: lone surrogate in string");
                        }
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isLowSurrogate(c)) {
                        throw new IllegalArgumentException("JCS: lone surrogate in string");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
