package dev.purser.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * A secp256k1 private key that signs 32-byte digests deterministically (RFC 6979 nonces, low-s,
 * {@code v} 27/28), so the same key and digest always give the same signature, byte for byte what
 * ethers and viem produce. A class, not a record, so the secret never appears in
 * {@code toString}, logs or equality checks.
 */
public final class Secp256k1Key {

    private final ECKeyPair keyPair;

    private final Address address;

    private Secp256k1Key(BigInteger privateKey) {
        if (privateKey.signum() <= 0 || privateKey.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("a private key must be in [1, n)");
        }
        this.keyPair = ECKeyPair.create(privateKey);
        this.address = Secp256k1.addressOf(keyPair.getPublicKey());
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

    /** Signs the digest itself: no EIP-191 prefix is added, the caller's digest is final. */
    public Signature sign(Bytes32 digest) {
        Sign.SignatureData data = Sign.signMessage(digest.bytes(), keyPair, false);
        return new Signature(new BigInteger(1, data.getR()), new BigInteger(1, data.getS()),
                data.getV()[0] & 0xff);
    }

    /** Signs a transaction (EIP-1559, so the chain id is signed too); this key's address sends it. */
    public SignedTransaction sign(Eip1559Transaction transaction) {
        return transaction.signWith(keyPair);
    }

    /** The secret as {@code 0x} + 64 hex digits, for {@link ServerKey} to store. */
    String privateKeyHex() {
        return Hex.encode(Numeric.toBytesPadded(keyPair.getPrivateKey(), 32));
    }

    @Override
    public String toString() {
        return "Secp256k1Key[" + address + "]";
    }
}
