package dev.purser.crypto;

/**
 * Typed data that cannot be encoded: an unknown or malformed type, a missing or extra field, a
 * value of the wrong shape or out of its type's range. The edge maps it to a 400-class answer;
 * nothing that fails here was ever signable by a standard wallet.
 */
public final class InvalidTypedDataException extends IllegalArgumentException {

    public InvalidTypedDataException(String message) {
        super(message);
    }
}
