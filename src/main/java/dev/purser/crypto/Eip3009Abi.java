package dev.purser.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * ABI call data for the three USDC (EIP-3009) functions settlement needs, and strict decoding of
 * their results. Selectors are x402.md §2's: {@code transferWithAuthorization} (v, r, s form)
 * {@code 0xe3ee160e}, {@code authorizationState} {@code 0xe94a0102}, {@code balanceOf}
 * {@code 0x70a08231}.
 */
public final class Eip3009Abi {

    private static final BigInteger UINT256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private Eip3009Abi() {
    }

    /**
     * {@code transferWithAuthorization(from, to, value, validAfter, validBefore, nonce, v, r, s)}:
     * moves {@code value} from {@code from} to {@code to} if the payer's signature holds; whoever
     * sends it pays the gas and can change nothing that was signed.
     */
    public static byte[] transferWithAuthorization(Address from, Address to, BigInteger value,
            BigInteger validAfter, BigInteger validBefore, dev.purser.crypto.Bytes32 nonce,
            Signature signature) {
        return encode("transferWithAuthorization", address(from), address(to), uint256(value),
                uint256(validAfter), uint256(validBefore), new Bytes32(nonce.bytes()),
                new Uint8(signature.v()), new Bytes32(word(signature.r())),
                new Bytes32(word(signature.s())));
    }

    /** {@code authorizationState(authorizer, nonce)}: true once the authorization is used. */
    public static byte[] authorizationState(Address authorizer, dev.purser.crypto.Bytes32 nonce) {
        return encode("authorizationState", address(authorizer), new Bytes32(nonce.bytes()));
    }

    /** {@code balanceOf(account)}, in the token's atomic units. */
    public static byte[] balanceOf(Address account) {
        return encode("balanceOf", address(account));
    }

    /**
     * A {@code bool} result: exactly one word holding 0 or 1.
     *
     * @throws IllegalArgumentException for anything else (a wrong contract or a non-contract
     *     address answers {@code 0x}, which must not read as false)
     */
    public static boolean decodeBool(byte[] result) {
        BigInteger v = oneWord(result);
        if (v.compareTo(BigInteger.ONE) > 0) {
            throw new IllegalArgumentException("not an ABI bool: " + v);
        }
        return v.signum() == 1;
    }

    /**
     * A {@code uint256} result: exactly one word.
     *
     * @throws IllegalArgumentException for anything else ({@code 0x} must not read as zero)
     */
    public static BigInteger decodeUint256(byte[] result) {
        return oneWord(result);
    }

    private static BigInteger oneWord(byte[] result) {
        if (result == null || result.length != 32) {
            throw new IllegalArgumentException("expected one 32-byte ABI word, got "
                    + (result == null ? "nothing" : result.length + " bytes"));
        }
        return new BigInteger(1, result);
    }

    @SuppressWarnings("rawtypes")
    private static byte[] encode(String name, Type... inputs) {
        return Hex.decode(FunctionEncoder.encode(new Function(name, Arrays.asList(inputs), List.of())));
    }

    private static org.web3j.abi.datatypes.Address address(Address a) {
        return new org.web3j.abi.datatypes.Address(a.lowerHex());
    }

    private static Uint256 uint256(BigInteger v) {
        if (v.signum() < 0 || v.compareTo(UINT256_MAX) > 0) {
            throw new IllegalArgumentException("not a uint256: " + v);
        }
        return new Uint256(v);
    }

    /** A scalar below 2^256 as a 32-byte big-endian word. */
    private static byte[] word(BigInteger v) {
        byte[] magnitude = v.toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(magnitude.length, 32);
        System.arraycopy(magnitude, magnitude.length - length, out, 32 - length, length);
        return out;
    }
}
