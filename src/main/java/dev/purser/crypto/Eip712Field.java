package dev.purser.crypto;

import java.util.regex.Pattern;

/**
 * One member of an EIP-712 struct type, {@code type name}.
 *
 * @param name the member name, an identifier
 * @param type an atomic type ({@code uint256}, {@code bytes32}, {@code string}, ...), a struct
 *     name, or either followed by array suffixes such as {@code []} or {@code [3]}
 */
public record Eip712Field(String name, String type) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private static final Pattern TYPE =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\[([1-9][0-9]{0,5})?\\])*");

    public Eip712Field {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new InvalidTypedDataException("invalid EIP-712 member name: " + name);
        }
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new InvalidTypedDataException("invalid EIP-712 type: " + type);
        }
    }

    /** The type with every array suffix removed: {@code Person[][2]} gives {@code Person}. */
    String baseType() {
        int bracket = type.indexOf('[');
        return bracket < 0 ? type : type.substring(0, bracket);
    }
}
