package dev.purser.auth;

/** {@code PURSER_AUTH}: whether anonymous callers are admitted to {@code /api/a2a}. */
public enum AuthPolicy {
    /** Anonymous callers share one identity; a valid bearer token gives one's own. */
    OPTIONAL,
    /** Every call needs a valid bearer JWT. */
    REQUIRED
}
