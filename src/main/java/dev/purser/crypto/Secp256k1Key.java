package dev.purser.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * A secp256k1 private key that signs 32-byte digests deterministically (RFC 6979 nonces, low-s,
 * {@code v} 27/28), so the same key and digest always give the same signature, byte for byte what
 * ethers and viem produce. A class, not a record, so the secret never appears in
 * {@code toString}, logs or equality checks.
 */
public final class Secp256k1Key {

    /** web3j's curve instance, so the comb table BouncyCastle caches on G is shared with it. */
    private static final ECPoint G = Sign.CURVE_PARAMS.getG();

    /** The multiplier BouncyCastle's ECDSASigner uses for k·G; stateless, the table lives on G. */
    private static final ECMultiplier BASE_POINT_MULTIPLIER = new FixedPointCombMultiplier();

    private final BigInteger privateKey;

    private final Address address;

    private Secp256k1Key(BigInteger privateKey) {
        if (privateKey.signum() <= 0 || privateKey.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("a private key must be in [1, n)");
        }
        this.privateKey = privateKey;
        this.address = Secp256k1.addressOf(Sign.publicKeyFromPrivate(privateKey));
    }

    /**
     * @throws IllegalArgumentException unless {@code hex} is {@code 0x} + 64 hex digits whose
     *     value is in [1, n)
     */
    public static Secp256k1Key fromHex(String hex) {
        return new Secp256k1Key(new BigInteger(1, Hex.decode(hex, 32)));
    }

    /** A fresh key from {@code random}, which should be a {@link SecureRandom}. */
    public static Secp256k1Key generate(SecureRandom random) {
        while (true) {
            byte[] candidate = new byte[32];
            random.nextBytes(candidate);
            BigInteger value = new BigInteger(1, candidate);
            // Rejection sampling: a value outside [1, n) happens with probability ~2^-128.
            if (value.signum() > 0 && value.compareTo(Secp256k1.N) < 0) {
                return new Secp256k1Key(value);
            }
        }
    }

    public Address address() {
        return address;
    }

    /** The uncompressed public key without its 0x04 prefix: x ‖ y, 32 bytes each. */
    byte[] publicKey() {
        return Numeric.toBytesPadded(Sign.publicKeyFromPrivate(privateKey), 64);
    }

    /**
     * Signs the digest itself: no EIP-191 prefix is added, the caller's digest is final.
     *
     * <p>The same r, s and v as web3j's {@code Sign.signMessage(digest, keyPair, false)}, which
     * runs BouncyCastle's ECDSASigner and then recovers the public key up to four times to find v.
     * Here v comes from the nonce point R itself (one scalar multiplication instead of up to five):
     * bit 0 is R.y's parity, bit 1 says R.x was reduced mod n, and taking n − s for low-s negates
     * R, which flips the parity.
     */
    public Signature sign(Bytes32 digest) {
        byte[] message = digest.bytes();
        BigInteger n = Secp256k1.N;
        // ECDSASigner.calculateE: a 256-bit digest under a 256-bit n is used whole.
        BigInteger e = new BigInteger(1, message);
        HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
        nonces.init(n, privateKey, message);
        while (true) {
            // As ECDSASigner: a zero r or s (probability ~2^-256) draws the next RFC 6979 k.
            BigInteger k = nonces.nextK();
            ECPoint point = BASE_POINT_MULTIPLIER.multiply(G, k).normalize();
            BigInteger x = point.getAffineXCoord().toBigInteger();
            BigInteger r = x.mod(n);
            if (r.signum() == 0) {
                continue;
            }
            BigInteger s = BigIntegers.modOddInverse(n, k).multiply(e.add(privateKey.multiply(r)))
                    .mod(n);
            if (s.signum() == 0) {
                continue;
            }
            int recoveryId = (point.getAffineYCoord().testBitZero() ? 1 : 0)
                    | (x.compareTo(n) >= 0 ? 2 : 0);
            if (s.compareTo(Secp256k1.HALF_N) > 0) {
                s = n.subtract(s);
                recoveryId ^= 1;
            }
            // A recovery id of 2 or 3 (R.x >= n, probability ~2^-127) has no v in 27/28; the
            // Signature constructor refuses it, as web3j's v of 29/30 would have been refused.
            return new Signature(r, s, 27 + recoveryId);
        }
    }

    /** Signs a transaction (EIP-1559, so the chain id is signed too); this key's address sends it. */
    public SignedTransaction sign(Eip1559Transaction transaction) {
        return transaction.signWith(this);
    }

    /** The secret as {@code 0x} + 64 hex digits, for {@link ServerKey} to store. */
    String privateKeyHex() {
        return Hex.encode(Numeric.toBytesPadded(privateKey, 32));
    }

    @Override
    public String toString() {
        return "Secp256k1Key[" + address + "]";
    }
}
