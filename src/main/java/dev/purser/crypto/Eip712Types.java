package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of EIP-712 struct types (the {@code types} object of {@code eth_signTypedData_v4}) and
 * the encoding the EIP defines over it: {@code encodeType}, {@code typeHash}, {@code encodeData},
 * {@code hashStruct}.
 *
 * <p>Values come as Jackson trees, the way clients send them. Integers may be JSON integers,
 * decimal strings or {@code 0x} hex strings, and are range checked against their declared width;
 * JSON fractions are refused. A struct value must have exactly the declared members: a missing
 * member is unsignable, and an extra one would let a document carry fields its signer never saw.
 *
 * @param structs struct name to members, in declaration order (kept for {@link #toJson})
 */
public record Eip712Types(Map<String, List<Eip712Field>> structs) {

    private static final Pattern STRUCT_SIGNATURE =
            Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*)\\((.*)\\)");

    private static final Pattern INTEGER = Pattern.compile("(u?)int([0-9]{1,3})");

    private static final Pattern FIXED_BYTES = Pattern.compile("bytes([0-9]{1,2})");

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,78}");

    private static final Pattern HEX_NUMBER = Pattern.compile("0x[0-9a-fA-F]{1,64}");

    public Eip712Types {
        if (structs == null || structs.isEmpty()) {
            throw new InvalidTypedDataException("at least one struct type is required");
        }
        Map<String, List<Eip712Field>> copy = new LinkedHashMap<>();
        structs.forEach((name, fields) -> copy.put(name, List.copyOf(fields)));
        structs = Collections.unmodifiableMap(copy);
        for (Map.Entry<String, List<Eip712Field>> struct : structs.entrySet()) {
            validate(struct.getKey(), struct.getValue(), structs);
        }
    }

    /**
     * Types from their {@code encodeType} spellings, e.g.
     * {@code "Person(string name,address wallet)"}; the form DESIGN and the EIPs write them in.
     */
    public static Eip712Types of(String... structSignatures) {
        Map<String, List<Eip712Field>> structs = new LinkedHashMap<>();
        for (String signature : structSignatures) {
            Matcher matcher = STRUCT_SIGNATURE.matcher(signature);
            if (!matcher.matches()) {
                throw new InvalidTypedDataException("not a struct signature: " + signature);
            }
            List<Eip712Field> fields = new ArrayList<>();
            String members = matcher.group(2);
            if (!members.isEmpty()) {
                for (String member : members.split(",", -1)) {
                    String[] parts = member.split(" ", -1);
                    if (parts.length != 2) {
                        throw new InvalidTypedDataException("not a 'type name' member: " + member);
                    }
                    fields.add(new Eip712Field(parts[1], parts[0]));
                }
            }
            if (structs.put(matcher.group(1), fields) != null) {
                throw new InvalidTypedDataException("struct defined twice: " + matcher.group(1));
            }
        }
        return new Eip712Types(structs);
    }

    /** Types from the JSON {@code types} object: name to {@code [{"name":…,"type":…}, …]}. */
    public static Eip712Types fromJson(JsonNode types) {
        if (types == null || !types.isObject()) {
            throw new InvalidTypedDataException("types must be a JSON object");
        }
        Map<String, List<Eip712Field>> structs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = types.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> struct = it.next();
            if (!struct.getValue().isArray()) {
                throw new InvalidTypedDataException("members of " + struct.getKey()
                        + " must be an array");
            }
            List<Eip712Field> fields = new ArrayList<>();
            for (JsonNode member : struct.getValue()) {
                JsonNode name = member.get("name");
                JsonNode type = member.get("type");
                if (name == null || !name.isTextual() || type == null || !type.isTextual()) {
                    throw new InvalidTypedDataException("members of " + struct.getKey()
                            + " need a string name and type");
                }
                fields.add(new Eip712Field(name.textValue(), type.textValue()));
            }
            structs.put(struct.getKey(), fields);
        }
        return new Eip712Types(structs);
    }

    /** The members of struct {@code name}, if defined. */
    public Optional<List<Eip712Field>> fields(String name) {
        return Optional.ofNullable(structs.get(name));
    }

    /** The JSON {@code types} object viem and ethers sign with, in declaration order. */
    public ObjectNode toJson() {
        ObjectNode types = JsonNodeFactory.instance.objectNode();
        structs.forEach((name, fields) -> {
            ArrayNode members = types.putArray(name);
            for (Eip712Field field : fields) {
                members.addObject().put("name", field.name()).put("type", field.type());
            }
        });
        return types;
    }

    /**
     * {@code encodeType}: the struct's own signature followed by those of every struct it refers
     * to, directly or not, sorted by name.
     */
    public String encodeType(String primaryType) {
        TreeSet<String> referenced = new TreeSet<>();
        collectReferences(primaryType, referenced);
        referenced.remove(primaryType);
        StringBuilder out = new StringBuilder(signature(primaryType));
        for (String name : referenced) {
            out.append(signature(name));
        }
        return out.toString();
    }

    public Bytes32 typeHash(String primaryType) {
        return Keccak256.hash(encodeType(primaryType));
    }

    /** {@code encodeData}: typeHash followed by one 32-byte word per member. */
    public byte[] encodeData(String primaryType, JsonNode value) {
        List<Eip712Field> fields = require(primaryType);
        String where = primaryType;
        if (value == null || !value.isObject()) {
            throw new InvalidTypedDataException(where + " must be a JSON object");
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (fields.stream().noneMatch(field -> field.name().equals(name))) {
                throw new InvalidTypedDataException(where + " has no member " + name);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * (fields.size() + 1));
        out.writeBytes(typeHash(primaryType).bytes());
        for (Eip712Field field : fields) {
            JsonNode member = value.get(field.name());
            if (member == null || member.isNull()) {
                throw new InvalidTypedDataException(where + "." + field.name() + " is missing");
            }
            out.writeBytes(encodeValue(field.type(), member, where + "." + field.name()));
        }
        return out.toByteArray();
    }

    public Bytes32 hashStruct(String primaryType, JsonNode value) {
        return Keccak256.hash(encodeData(primaryType, value));
    }

    private List<Eip712Field> require(String name) {
        List<Eip712Field> fields = structs.get(name);
        if (fields == null) {
            throw new InvalidTypedDataException("unknown struct type: " + name);
        }
        return fields;
    }

    private String signature(String name) {
        StringBuilder out = new StringBuilder(name).append('(');
        List<Eip712Field> fields = require(name);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(fields.get(i).type()).append(' ').append(fields.get(i).name());
        }
        return out.append(')').toString();
    }

    private void collectReferences(String name, TreeSet<String> found) {
        if (!found.add(name)) {
            return;
        }
        for (Eip712Field field : require(name)) {
            if (structs.containsKey(field.baseType())) {
                collectReferences(field.baseType(), found);
            }
        }
    }

    /** One 32-byte word for a member value, per EIP-712 {@code encodeData}. */
    private byte[] encodeValue(String type, JsonNode value, String where) {
        if (type.endsWith("]")) {
            return encodeArray(type, value, where);
        }
        if (structs.containsKey(type)) {
            return hashStruct(type, value).bytes();
        }
        switch (type) {
            case "address" -> {
                if (!value.isTextual()) {
                    throw new InvalidTypedDataException(where + " must be an address string");
                }
                try {
                    return leftPad(Address.of(value.textValue()).bytes());
                } catch (IllegalArgumentException e) {
                    throw new InvalidTypedDataException(where + ": " + e.getMessage());
                }
            }
            case "bool" -> {
                if (!value.isBoolean()) {
                    throw new InvalidTypedDataException(where + " must be true or false");
                }
                return leftPad(new byte[] {(byte) (value.booleanValue() ? 1 : 0)});
            }
            case "string" -> {
                if (!value.isTextual()) {
                    throw new InvalidTypedDataException(where + " must be a string");
                }
                return Keccak256.hash(value.textValue().getBytes(StandardCharsets.UTF_8)).bytes();
            }
            case "bytes" -> {
                return Keccak256.hash(hexBytes(value, where)).bytes();
            }
            default -> {
                return encodeSizedAtom(type, value, where);
            }
        }
    }

    private byte[] encodeSizedAtom(String type, JsonNode value, String where) {
        Matcher fixedBytes = FIXED_BYTES.matcher(type);
        if (fixedBytes.matches()) {
            int length = Integer.parseInt(fixedBytes.group(1));
            byte[] bytes = hexBytes(value, where);
            if (bytes.length != length) {
                throw new InvalidTypedDataException(where + " must be exactly " + length
                        + " bytes");
            }
            byte[] word = new byte[32];
            System.arraycopy(bytes, 0, word, 0, length);
            return word;
        }
        Matcher integer = INTEGER.matcher(type);
        if (integer.matches()) {
            boolean signed = integer.group(1).isEmpty();
            int bits = Integer.parseInt(integer.group(2));
            return encodeInteger(integer(value, where), signed, bits, where);
        }
        throw new InvalidTypedDataException("unknown type " + type + " at " + where);
    }

    private byte[] encodeArray(String type, JsonNode value, String where) {
        int open = type.lastIndexOf('[');
        String elementType = type.substring(0, open);
        String length = type.substring(open + 1, type.length() - 1);
        if (!value.isArray()) {
            throw new InvalidTypedDataException(where + " must be an array");
        }
        if (!length.isEmpty() && value.size() != Integer.parseInt(length)) {
            throw new InvalidTypedDataException(where + " must have " + length + " elements");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * value.size());
        for (int i = 0; i < value.size(); i++) {
            out.writeBytes(encodeValue(elementType, value.get(i), where + "[" + i + "]"));
        }
        return Keccak256.hash(out.toByteArray()).bytes();
    }

    private static byte[] hexBytes(JsonNode value, String where) {
        if (!value.isTextual()) {
            throw new InvalidTypedDataException(where + " must be a 0x hex string");
        }
        try {
            return Hex.decode(value.textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidTypedDataException(where + ": " + e.getMessage());
        }
    }

    private static BigInteger integer(JsonNode value, String where) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (HEX_NUMBER.matcher(text).matches()) {
                return new BigInteger(text.substring(2), 16);
            }
            if (DECIMAL.matcher(text).matches()) {
                return new BigInteger(text);
            }
        }
        // A JSON fraction or exponent would reach here as a double: refused, since its decimal
        // digits are not exact and no signed integer member can hold a fraction.
        throw new InvalidTypedDataException(where
                + " must be an integer (JSON integer, decimal string or 0x hex string)");
    }

    private static byte[] encodeInteger(BigInteger value, boolean signed, int bits, String where) {
        if (bits < 8 || bits > 256 || bits % 8 != 0) {
            throw new InvalidTypedDataException("invalid integer width " + bits + " at " + where);
        }
        BigInteger half = BigInteger.ONE.shiftLeft(bits - 1);
        BigInteger min = signed ? half.negate() : BigInteger.ZERO;
        BigInteger limit = signed ? half : BigInteger.ONE.shiftLeft(bits);
        if (value.compareTo(min) < 0 || value.compareTo(limit) >= 0) {
            throw new InvalidTypedDataException(where + " is out of range for "
                    + (signed ? "int" : "uint") + bits);
        }
        // Two's complement over 256 bits: negative values are sign-extended with 0xff bytes.
        byte[] word = new byte[32];
        if (value.signum() < 0) {
            Arrays.fill(word, (byte) 0xff);
        }
        byte[] magnitude = value.toByteArray();
        int copy = Math.min(magnitude.length, 32);
        System.arraycopy(magnitude, magnitude.length - copy, word, 32 - copy, copy);
        return word;
    }

    private static byte[] leftPad(byte[] bytes) {
        byte[] word = new byte[32];
        System.arraycopy(bytes, 0, word, 32 - bytes.length, bytes.length);
        return word;
    }

    private static void validate(String name, List<Eip712Field> fields,
            Map<String, List<Eip712Field>> structs) {
        if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]*") || isAtomic(name)) {
            throw new InvalidTypedDataException("invalid struct name: " + name);
        }
        Set<String> seen = new HashSet<>();
        for (Eip712Field field : fields) {
            if (!seen.add(field.name())) {
                throw new InvalidTypedDataException(name + " declares " + field.name() + " twice");
            }
            String base = field.baseType();
            if (!structs.containsKey(base) && !isAtomic(base)) {
                throw new InvalidTypedDataException(name + "." + field.name()
                        + " has unknown type " + field.type());
            }
        }
    }

    private static boolean isAtomic(String type) {
        if (type.equals("address") || type.equals("bool") || type.equals("string")
                || type.equals("bytes")) {
            return true;
        }
        Matcher fixedBytes = FIXED_BYTES.matcher(type);
        if (fixedBytes.matches()) {
            int length = Integer.parseInt(fixedBytes.group(1));
            return length >= 1 && length <= 32 && !fixedBytes.group(1).startsWith("0");
        }
        Matcher integer = INTEGER.matcher(type);
        if (integer.matches()) {
            int bits = Integer.parseInt(integer.group(2));
            return bits >= 8 && bits <= 256 && bits % 8 == 0 && !integer.group(2).startsWith("0");
        }
        return false;
    }
}
