package dev.purser.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Signer recovery ({@code ecrecover}) over secp256k1, with the checks the EVM precompile leaves to
 * contracts: USDC's {@code ECRecover.sol} rejects high-s and {@code v} outside 27/28, and web3j's
 * recovery rejects neither, so they are made here before web3j is asked.
 */
public final class Secp256k1 {

    /** The order of the curve's base point (SEC 2). */
    public static final BigInteger N = new BigInteger(
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);

    /** The largest low-s value, floor(n / 2). */
    public static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {
    }

    /** Recovers the signer of a {@code 0x}-hex signature; malformed hex is a refusal too. */
    public static Recovery recover(Bytes32 digest, String signatureHex) {
        byte[] signature;
        try {
            signature = Hex.decode(signatureHex);
        } catch (IllegalArgumentException e) {
            return new Recovery.Refused(SignatureRefusal.MALFORMED_HEX);
        }
        return recover(digest, signature);
    }

    /**
     * Recovers who signed {@code digest}. {@code v} 0 and 1 are read as 27 and 28 (some wallets
     * and libraries emit them) and the normalized form is what {@link Recovery.Recovered} holds.
     */
    public static Recovery recover(Bytes32 digest, byte[] signature) {
        if (signature == null || signature.length != 65) {
            return new Recovery.Refused(SignatureRefusal.WRONG_LENGTH);
        }
        int v = signature[64] & 0xff;
        if (v == 0 || v == 1) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            return new Recovery.Refused(SignatureRefusal.INVALID_V);
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || r.compareTo(N) >= 0) {
            return new Recovery.Refused(SignatureRefusal.R_OUT_OF_RANGE);
        }
        if (s.signum() == 0 || s.compareTo(N) >= 0) {
            return new Recovery.Refused(SignatureRefusal.S_OUT_OF_RANGE);
        }
        if (s.compareTo(HALF_N) > 0) {
            return new Recovery.Refused(SignatureRefusal.HIGH_S);
        }
        BigInteger publicKey;
        try {
            publicKey = Sign.recoverFromSignature(v - 27, new ECDSASignature(r, s),
                    digest.bytes());
        } catch (IllegalArgumentException e) {
            // BouncyCastle refuses an r that is no point's x coordinate by throwing.
            return new Recovery.Refused(SignatureRefusal.NOT_RECOVERABLE);
        }
        if (publicKey == null) {
            return new Recovery.Refused(SignatureRefusal.NOT_RECOVERABLE);
        }
        return new Recovery.Recovered(addressOf(publicKey), new Signature(r, s, v));
    }

    /** The address of an uncompressed public key (x ‖ y as one integer, as web3j holds it). */
    static Address addressOf(BigInteger publicKey) {
        byte[] hash = Keccak256.hash(Numeric.toBytesPadded(publicKey, 64)).bytes();
        return Address.fromBytes(Arrays.copyOfRange(hash, 12, 32));
    }
}
