package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * ES256 (ECDSA over P-256 with SHA-256) verification as JOSE uses it: the key is a JWK
 * ({@code kty:"EC", crv:"P-256", x, y}), the signature the raw 64 bytes {@code r ‖ s}
 * (RFC 7518 §3.4), converted here to the DER form the JDK's {@code SHA256withECDSA} reads.
 */
public final class Es256 {

    /** The outcome of a verification; only {@link #VALID} means the signature holds. */
    public enum Verdict {
        VALID,
        /** Well formed, but not a signature of this input by this key. */
        INVALID_SIGNATURE,
        /** Not 64 bytes, or r or s outside [1, n). */
        MALFORMED_SIGNATURE,
        /** The JWK is not an EC P-256 public key, or its point is not on the curve. */
        INVALID_KEY,
        /** The token's header names an algorithm other than ES256. */
        WRONG_ALGORITHM
    }

    /** The curve's parameters (secp256r1). */
    static final ECParameterSpec P256 = p256();

    private Es256() {
    }

    /**
     * Verifies {@code signature} (raw {@code r ‖ s}) over {@code signingInput} (for a JWS, the
     * ASCII of {@code header.payload}) with the public key in {@code jwk}.
     */
    public static Verdict verify(JsonNode jwk, byte[] signingInput, byte[] signature) {
        Optional<ECPublicKey> key = publicKey(jwk);
        if (key.isEmpty()) {
            return Verdict.INVALID_KEY;
        }
        if (signature == null || signature.length != 64) {
            return Verdict.MALFORMED_SIGNATURE;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        BigInteger n = P256.getOrder();
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            return Verdict.MALFORMED_SIGNATURE;
        }
        try {
            java.security.Signature verifier = java.security.Signature.getInstance(
                    "SHA256withECDSA");
            verifier.initVerify(key.get());
            verifier.update(signingInput);
            return verifier.verify(der(r, s)) ? Verdict.VALID : Verdict.INVALID_SIGNATURE;
        } catch (GeneralSecurityException e) {
            return Verdict.INVALID_SIGNATURE;
        }
    }

    /**
     * The P-256 public key in {@code jwk}, or empty if it is not one. The point is checked to lie
     * on the curve: the JDK does not check it, and a key off the curve has no meaning.
     */
    public static Optional<ECPublicKey> publicKey(JsonNode jwk) {
        if (jwk == null || !jwk.isObject() || !"EC".equals(jwk.path("kty").textValue())
                || !"P-256".equals(jwk.path("crv").textValue())) {
            return Optional.empty();
        }
        JsonNode alg = jwk.get("alg");
        if (alg != null && !"ES256".equals(alg.textValue())) {
            return Optional.empty();
        }
        Optional<BigInteger> x = coordinate(jwk.get("x"));
        Optional<BigInteger> y = coordinate(jwk.get("y"));
        if (x.isEmpty() || y.isEmpty() || !onCurve(x.get(), y.get())) {
            return Optional.empty();
        }
        try {
            ECPublicKeySpec spec = new ECPublicKeySpec(new ECPoint(x.get(), y.get()), P256);
            return Optional.of((ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<BigInteger> coordinate(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64Url.decode(value.textValue());
            // RFC 7518 §6.2.1.2: each coordinate is exactly the field size, 32 bytes.
            return bytes.length == 32 ? Optional.of(new BigInteger(1, bytes)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x))
                .add(P256.getCurve().getB()).mod(p);
        return left.equals(right);
    }

    /** DER {@code SEQUENCE { INTEGER r, INTEGER s }}; short-form lengths suffice for P-256. */
    private static byte[] der(BigInteger r, BigInteger s) {
        byte[] rBytes = r.toByteArray();
        byte[] sBytes = s.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(72);
        out.write(0x30);
        out.write(2 + rBytes.length + 2 + sBytes.length);
        out.write(0x02);
        out.write(rBytes.length);
        out.writeBytes(rBytes);
        out.write(0x02);
        out.write(sBytes.length);
        out.writeBytes(sBytes);
        return out.toByteArray();
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            // secp256r1 is required of every JDK's SunEC provider; missing means a broken JDK.
            throw new IllegalStateException("P-256 is not available", e);
        }
    }
}
