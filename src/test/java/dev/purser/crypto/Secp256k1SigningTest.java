package dev.purser.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;

/**
 * {@link Secp256k1Key} signs with one scalar multiplication and reads v off the nonce point; web3j
 * ({@code Sign.signMessage}, {@code TransactionEncoder.signMessage}) is the reference it must match
 * byte for byte, r, s and v.
 */
class Secp256k1SigningTest {

    /** Fixed, so a failure names a reproducible case. */
    private static final long SEED = 0x5ec9256b1L;

    @Test
    void matchesWeb3jOnRandomKeysAndDigests() {
        Random random = new Random(SEED);
        int[] byV = new int[29];
        for (int i = 0; i < 400; i++) {
            Secp256k1Key key = randomKey(random);
            Bytes32 digest = new Bytes32(randomBytes(random, 32));
            byte[] ours = key.sign(digest).toBytes();
            assertArrayEquals(web3j(key, digest), ours, "case " + i + ": " + key + " " + digest);
            byV[ours[64]]++;
        }
        // Both parities must have been exercised (each ~half the time).
        assertTrue(byV[27] > 100 && byV[28] > 100, "v 27: " + byV[27] + ", v 28: " + byV[28]);
    }

    @Test
    void matchesWeb3jAtTheEdgesOfKeysAndDigests() {
        BigInteger n = Secp256k1.N;
        BigInteger[] keys = {BigInteger.ONE, BigInteger.TWO, Secp256k1.HALF_N, n.subtract(BigInteger.ONE)};
        byte[] allOnes = new byte[32];
        Arrays.fill(allOnes, (byte) 0xff);
        byte[][] digests = {new byte[32], allOnes, word(n), word(n.add(BigInteger.ONE)),
                word(n.subtract(BigInteger.ONE)), word(BigInteger.ONE)};
        for (BigInteger d : keys) {
            Secp256k1Key key = Secp256k1Key.fromHex(Hex.encode(word(d)));
            for (byte[] bytes : digests) {
                Bytes32 digest = new Bytes32(bytes);
                assertArrayEquals(web3j(key, digest), key.sign(digest).toBytes(),
                        "key " + d.toString(16) + ", digest " + digest);
            }
        }
    }

    @Test
    void signedTransactionsMatchWeb3jsEncoder() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 40; i++) {
            Secp256k1Key key = randomKey(random);
            Eip1559Transaction tx = new Eip1559Transaction(1 + random.nextInt(100_000),
                    BigInteger.valueOf(random.nextInt(1000)), BigInteger.valueOf(random.nextInt(1_000_000)),
                    BigInteger.valueOf(1_000_000 + random.nextInt(1_000_000_000)),
                    BigInteger.valueOf(21_000 + random.nextInt(200_000)),
                    Address.fromBytes(randomBytes(random, 20)), BigInteger.valueOf(random.nextInt(3)),
                    randomBytes(random, random.nextInt(200)));
            RawTransaction raw = RawTransaction.createTransaction(tx.chainId(), tx.nonce(),
                    tx.gasLimit(), tx.to().toString(), tx.valueWei(), Hex.encode(tx.data()),
                    tx.maxPriorityFeePerGas(), tx.maxFeePerGas());
            byte[] expected = TransactionEncoder.signMessage(raw, Credentials.create(keyPair(key)));
            assertEquals(Hex.encode(expected), key.sign(tx).rawHex(), "case " + i);
        }
    }

    /**
     * Not a test of anything: prints web3j's and this signer's time for 2,000 signatures in one
     * JVM, for the record. Runs only with {@code -Dbench=true}; asserts nothing about time.
     */
    @Test
    @EnabledIfSystemProperty(named = "bench", matches = "true")
    void timeTwoThousandSignatures() {
        Random random = new Random(SEED + 2);
        Secp256k1Key key = randomKey(random);
        ECKeyPair pair = keyPair(key);
        int count = 2_000;
        byte[][] digests = new byte[count][];
        for (int i = 0; i < count; i++) {
            digests[i] = randomBytes(random, 32);
        }
        long sink = 0;
        for (int round = 0; round < 3; round++) { // the first rounds warm up the JIT
            long start = System.nanoTime();
            for (byte[] digest : digests) {
                sink += Sign.signMessage(digest, pair, false).getV()[0];
            }
            long web3jNanos = System.nanoTime() - start;
            start = System.nanoTime();
            for (byte[] digest : digests) {
                sink += key.sign(new Bytes32(digest)).v();
            }
            long oursNanos = System.nanoTime() - start;
            System.out.printf("round %d: %d signatures, web3j %.1f ms (%.3f ms each), "
                    + "Secp256k1Key %.1f ms (%.3f ms each), %.2fx%n", round, count,
                    web3jNanos / 1e6, web3jNanos / 1e6 / count, oursNanos / 1e6,
                    oursNanos / 1e6 / count, (double) web3jNanos / oursNanos);
        }
        assertTrue(sink > 0); // keeps the loops from being optimized away
    }

    private static byte[] web3j(Secp256k1Key key, Bytes32 digest) {
        Sign.SignatureData data = Sign.signMessage(digest.bytes(), keyPair(key), false);
        byte[] out = new byte[65];
        System.arraycopy(data.getR(), 0, out, 0, 32);
        System.arraycopy(data.getS(), 0, out, 32, 32);
        out[64] = data.getV()[0];
        return out;
    }

    private static ECKeyPair keyPair(Secp256k1Key key) {
        return ECKeyPair.create(new BigInteger(1, Hex.decode(key.privateKeyHex(), 32)));
    }

    private static Secp256k1Key randomKey(Random random) {
        while (true) {
            BigInteger d = new BigInteger(1, randomBytes(random, 32));
            if (d.signum() > 0 && d.compareTo(Secp256k1.N) < 0) {
                return Secp256k1Key.fromHex(Hex.encode(word(d)));
            }
        }
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code value} as 32 big-endian bytes; values up to 2^256 - 1. */
    private static byte[] word(BigInteger value) {
        byte[] magnitude = value.toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(magnitude.length, 32);
        System.arraycopy(magnitude, magnitude.length - length, out, 32 - length, length);
        return out;
    }
}
