package dev.purser.crypto;

import java.util.Optional;

/** The outcome of parsing a token: the token, or why it was refused. */
public sealed interface TokenParse<T> permits TokenParse.Parsed, TokenParse.Refused {

    record Parsed<T>(T value) implements TokenParse<T> {
    }

    /** @param detail a human-readable explanation; never contains key material */
    record Refused<T>(TokenRefusal reason, String detail) implements TokenParse<T> {
    }

    default Optional<T> toOptional() {
        return this instanceof Parsed<T> parsed ? Optional.of(parsed.value()) : Optional.empty();
    }
}
