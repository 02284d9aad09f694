package dev.purser.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Call data and signed transactions, byte for byte what viem 2.57.20 produces for the same input
 * ({@code encodeFunctionData}, {@code account.signTransaction} with type eip1559); the authorization
 * is vectors.md §4's.
 */
class Eip1559TransactionTest {

    private static final Secp256k1Key ANVIL0 = Secp256k1Key.fromHex(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    private static final Address PAYER = Address.of("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    private static final Address PAYEE = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final Address USDC = Address.of("0x036CbD53842c5426634e7929541eC2318f3dCF7e");
    private static final Bytes32 NONCE = Bytes32.fromHex(
            "0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480");
    private static final Signature SIGNATURE = new Signature(
            new BigInteger("6f561d84da69dea3bf562f243b08ec7d3b6b140f7466c7c797d2a24554ed477b", 16),
            new BigInteger("60b03719ddabe477324676e2ede73876c8ae62be1c0630b75bb5f050f48b21d7", 16), 28);

    private static final String TWA_DATA = "0xe3ee160e"
            + "000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
            + "00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
            + "0000000000000000000000000000000000000000000000000000000000002710"
            + "0000000000000000000000000000000000000000000000000000000067c08c59"
            + "0000000000000000000000000000000000000000000000000000000067c08c9a"
            + "f3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480"
            + "000000000000000000000000000000000000000000000000000000000000001c"
            + "6f561d84da69dea3bf562f243b08ec7d3b6b140f7466c7c797d2a24554ed477b"
            + "60b03719ddabe477324676e2ede73876c8ae62be1c0630b75bb5f050f48b21d7";

    private static byte[] twaData() {
        return Eip3009Abi.transferWithAuthorization(PAYER, PAYEE, BigInteger.valueOf(10000),
                BigInteger.valueOf(1740672089), BigInteger.valueOf(1740672154), NONCE, SIGNATURE);
    }

    private static Eip1559Transaction tx(long nonce) {
        return new Eip1559Transaction(84532, BigInteger.valueOf(nonce), BigInteger.valueOf(1_000_000),
                BigInteger.valueOf(2_000_000_000), BigInteger.valueOf(120_000), USDC, BigInteger.ZERO,
                twaData());
    }

    @Test
    void encodesTheThreeTokenCallsAsViemDoes() {
        assertEquals(TWA_DATA, Hex.encode(twaData()));
        assertEquals("0xe94a0102000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
                + "f3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480",
                Hex.encode(Eip3009Abi.authorizationState(PAYER, NONCE)));
        assertEquals("0x70a0823100000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8",
                Hex.encode(Eip3009Abi.balanceOf(PAYEE)));
    }

    @Test
    void signsAType2TransactionAsViemDoes() {
        SignedTransaction signed = ANVIL0.sign(tx(7));
        assertEquals("0x02f9019383014a3407830f424084773594008301d4c094036cbd53842c5426634e7929541ec2318f3dcf7e"
                + "80b90124" + TWA_DATA.substring(2) + "c001a067fbb2b31b50aef682afb2c084a0e707d4287bc29d2722cc"
                + "83ce7405241bc2a2a022dd443bbd3716d2da32cf9611820e74d9f5458c86e7c2a0ea463ad5040e45e5",
                signed.rawHex());
        assertEquals("0xcd9c3be8c83d3131f5d6626dedb9d69e0fb5268a939d7a01314b84724f676d67",
                signed.hash().hex());
        assertEquals(signed, SignedTransaction.fromHex(signed.rawHex()));
        assertNotEquals(signed.hash(), ANVIL0.sign(tx(8)).hash(), "the nonce is signed");
    }

    @Test
    void decodesASignedTransactionBackToWhatWasSigned() {
        assertEquals(tx(7), ANVIL0.sign(tx(7)).transaction());
        assertThrows(IllegalArgumentException.class,
                () -> SignedTransaction.fromHex("0xc0").transaction(), "not a type 2 transaction");
    }

    @Test
    void decodesResultsStrictly() {
        byte[] one = new byte[32];
        one[31] = 1;
        assertTrue(Eip3009Abi.decodeBool(one));
        assertFalse(Eip3009Abi.decodeBool(new byte[32]));
        assertEquals(BigInteger.ONE, Eip3009Abi.decodeUint256(one));
        // "0x" from an address without code must not read as false or as a zero balance
        assertThrows(IllegalArgumentException.class, () -> Eip3009Abi.decodeBool(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Eip3009Abi.decodeUint256(new byte[0]));
        byte[] two = new byte[32];
        two[31] = 2;
        assertThrows(IllegalArgumentException.class, () -> Eip3009Abi.decodeBool(two));
    }

    @Test
    void refusesFeesThatCannotBeRight() {
        assertThrows(IllegalArgumentException.class, () -> new Eip1559Transaction(84532, BigInteger.ONE,
                BigInteger.TEN, BigInteger.ONE, BigInteger.valueOf(21000), USDC, BigInteger.ZERO, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new SignedTransaction(NONCE, new byte[] {1}));
    }
}
