package dev.purser.testing;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/** Bearer tokens for tests: valid ones, and ones the server must refuse. */
public final class Tokens {

    public static final String ISSUER = "https://purser.test";

    private Tokens() {
    }

    public static String bearer(String subject) {
        return "Bearer " + Jwt.issuer(ISSUER).subject(subject).expiresIn(600).sign();
    }

    /** A valid token whose {@code groups} claim holds {@code groups}. */
    public static String withGroups(String subject, String... groups) {
        return "Bearer " + Jwt.issuer(ISSUER).subject(subject).groups(java.util.Set.of(groups))
                .expiresIn(600).sign();
    }

    public static String expired(String subject) {
        return "Bearer " + Jwt.issuer(ISSUER).subject(subject)
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .sign();
    }

    public static String wrongIssuer(String subject) {
        return "Bearer " + Jwt.issuer("https://elsewhere.test").subject(subject).expiresIn(600).sign();
    }

    public static String foreignKey(String subject) {
        return "Bearer " + Jwt.issuer(ISSUER).subject(subject).expiresIn(600)
                .sign(privateKey("test-jwt/foreign-private.pem"));
    }

    private static PrivateKey privateKey(String resource) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream(resource)) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
