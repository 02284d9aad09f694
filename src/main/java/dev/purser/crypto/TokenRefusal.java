package dev.purser.crypto;

/** Why a JWS or SD-JWT was refused while parsing (RFC 7515, RFC 9901 §7.1). */
public enum TokenRefusal {
    /** Not three dot-separated parts, or an SD-JWT without its {@code ~} separators. */
    MALFORMED_STRUCTURE,
    /** A part is not unpadded base64url. */
    MALFORMED_BASE64URL,
    /** A header, payload or disclosure is not the JSON it must be (or repeats a member name). */
    MALFORMED_JSON,
    /** A disclosure is not {@code [salt, name, value]} or {@code [salt, value]}. */
    MALFORMED_DISCLOSURE,
    /** {@code _sd_alg} names a hash other than sha-256, the only one AP2 uses. */
    UNSUPPORTED_HASH_ALGORITHM,
    /** An {@code _sd} member is not an array of digest strings. */
    MALFORMED_DIGESTS,
    /** One digest is referenced twice, or one disclosure is presented twice. */
    DUPLICATE_DIGEST,
    /** A disclosed name already exists in its object, or is {@code _sd} or {@code ...}. */
    CLAIM_COLLISION,
    /** An object-property disclosure is referenced from an array, or the reverse. */
    MISPLACED_DISCLOSURE,
    /** A presented disclosure is referenced by no digest in the token. */
    UNREFERENCED_DISCLOSURE,
    /** The token exceeds {@link SdJwt#MAX_CHARS}. */
    TOO_LARGE
}
