package dev.purser.auth;

import java.util.Objects;

/**
 * Who is calling: an authenticated subject of a trusted issuer, or the one shared anonymous
 * identity. {@link #owner()} is what tasks are stored under, so two issuers' equal subjects differ.
 */
public record Caller(String issuer, String subject) {

    public static final Caller ANONYMOUS = new Caller(null, null);

    public static Caller of(String issuer, String subject) {
        return new Caller(Objects.requireNonNull(issuer), Objects.requireNonNull(subject));
    }

    public boolean isAnonymous() {
        return subject == null;
    }

    public String owner() {
        return isAnonymous() ? "anonymous" : "jwt:" + issuer + "#" + subject;
    }
}
