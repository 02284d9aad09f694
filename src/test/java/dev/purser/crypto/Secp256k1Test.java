package dev.purser.crypto;

import static dev.purser.crypto.TestVectors.ANVIL_0;
import static dev.purser.crypto.TestVectors.ANVIL_0_KEY;
import static dev.purser.crypto.TestVectors.ANVIL_1;
import static dev.purser.crypto.TestVectors.ANVIL_1_KEY;
import static dev.purser.crypto.TestVectors.typedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.money.Asset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Signatures and recovery from vectors.md §2 to §7. */
class Secp256k1Test {

    private static final String ANVIL_SEPOLIA_SIGNATURE = "0x6f561d84da69dea3bf562f243b08ec7d3b6b"
            + "140f7466c7c797d2a24554ed477b60b03719ddabe477324676e2ede73876c8ae62be1c0630b75bb5f0"
            + "50f48b21d71c";

    private static final String R_AND_S = ANVIL_SEPOLIA_SIGNATURE.substring(0, 2 + 128);

    private static final Bytes32 ANVIL_SEPOLIA_DIGEST = Bytes32.fromHex(
            "0xdd936365f5320446e7317e2ff2a02257f642c4528ebbb626575491ff58f0366d");

    @Test
    void halfOrderIsTheUsdcLowSBound() {
        assertEquals("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0",
                Secp256k1.HALF_N.toString(16));
    }

    @Test
    void signsAndRecoversEtherMail() {
        Secp256k1Key cow = Secp256k1Key.fromHex(Keccak256.hash("cow").hex());
        assertEquals("0xc85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4",
                Keccak256.hash("cow").hex());
        assertEquals("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", cow.address().toString());
        Bytes32 digest = typedData("ether-mail.json").digest();
        Signature signature = cow.sign(digest);
        assertEquals("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d",
                Hex.encode(java.util.Arrays.copyOfRange(signature.toBytes(), 0, 32)));
        assertEquals("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562",
                Hex.encode(java.util.Arrays.copyOfRange(signature.toBytes(), 32, 64)));
        assertEquals(28, signature.v());
        assertEquals("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936"
                + "d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c", signature.hex());
        assertTrue(Secp256k1.recover(digest, signature.hex()).isBy(cow.address()));
    }

    @Test
    void recoversThePayerOfTheX402SpecAuthorization() {
        TypedData authorization = typedData("x402-spec-authorization.json");
        String signature =
                TestVectors.json("x402-spec-authorization.json").get("signature").textValue();
        Recovery recovery = Secp256k1.recover(authorization.digest(), signature);
        Recovery.Recovered recovered = assertInstanceOf(Recovery.Recovered.class, recovery);
        assertEquals("0x857b06519E91e3A54538791bDbb0E22373e36b66",
                recovered.signer().toString());
        assertEquals(signature, recovered.signature().hex());
    }

    @Test
    void theSameSignatureRecoversStrangersUnderWrongDomains() {
        TypedData authorization = typedData("x402-spec-authorization.json");
        String signature =
                TestVectors.json("x402-spec-authorization.json").get("signature").textValue();
        Address usdc = Address.of(Asset.BASE_SEPOLIA_USDC.address());
        assertSigner("0xED07B31Fa76779c7A25BA712fB1bFBECefa2ad7e", authorization,
                PurserTypes.tokenDomain("USD Coin", "2", 84532, usdc), signature);
        assertSigner("0x34aE57701723c302054fe521aC33679a9a94fe42", authorization,
                PurserTypes.tokenDomain(Asset.BASE_USDC), signature);
        assertSigner("0x1C0D2ce69D459942C27b38A2af242a3D0Ba69E22", authorization,
                PurserTypes.tokenDomain("USDC", "1", 84532, usdc), signature);
    }

    private static void assertSigner(String expected, TypedData original, ObjectNode domain,
            String signature) {
        Bytes32 digest = PurserTypes.TRANSFER_WITH_AUTHORIZATION
                .typedData(domain, original.message()).digest();
        Recovery.Recovered recovered = assertInstanceOf(Recovery.Recovered.class,
                Secp256k1.recover(digest, signature));
        assertEquals(expected, recovered.signer().toString());
    }

    @Test
    void signsTheAnvilAuthorizationByteForByteOnBothNetworks() {
        Secp256k1Key payer = Secp256k1Key.fromHex(ANVIL_0_KEY);
        assertEquals(ANVIL_0, payer.address().toString());
        TypedData sepolia = typedData("eip3009-anvil0.json");
        assertEquals(ANVIL_SEPOLIA_SIGNATURE, payer.sign(sepolia.digest()).hex());

        TypedData base = PurserTypes.TRANSFER_WITH_AUTHORIZATION
                .typedData(PurserTypes.tokenDomain(Asset.BASE_USDC), sepolia.message());
        Signature onBase = payer.sign(base.digest());
        assertEquals("0x9b12ba34042dbeddf877e7a2b2adb13ae6de36e092f62f4539105a7524c73a824fc0a9fe"
                + "567a5e8c03935b98892118b7c1bb7cb8a8c08f6134972450f4a204641b", onBase.hex());
        assertEquals(27, onBase.v());
        assertTrue(Secp256k1.recover(base.digest(), onBase.toBytes()).isBy(payer.address()));
    }

    @Test
    void refusesTheHighSTwinThatRecoversTheSameSigner() {
        String twin = R_AND_S.substring(0, 66)
                + "9f4fc8e622541b88cdb9891d1218c787f2007a2893426f84641c6e3bdbab1f6a1b";
        assertEquals(Secp256k1.N.subtract(new java.math.BigInteger(R_AND_S.substring(66), 16)),
                new java.math.BigInteger(twin.substring(66, 130), 16));
        assertEquals(new Recovery.Refused(SignatureRefusal.HIGH_S),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, twin));
    }

    @Test
    void acceptsTheCanonicalSignature() {
        assertTrue(Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, ANVIL_SEPOLIA_SIGNATURE)
                .isBy(Address.of(ANVIL_0)));
    }

    @Test
    void normalizesVOneToTwentyEightBeforeRecovering() {
        Recovery.Recovered recovered = assertInstanceOf(Recovery.Recovered.class,
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, R_AND_S + "01"));
        assertEquals(ANVIL_0, recovered.signer().toString());
        assertEquals(ANVIL_SEPOLIA_SIGNATURE, recovered.signature().hex());
    }

    @Test
    void refusesVOutsideTwentySevenTwentyEightZeroOne() {
        assertEquals(new Recovery.Refused(SignatureRefusal.INVALID_V),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, R_AND_S + "1d"));
        assertEquals(new Recovery.Refused(SignatureRefusal.INVALID_V),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, R_AND_S + "02"));
    }

    @Test
    void refusesZeroOrOversizedScalarsAndWrongLengths() {
        String zero = "0".repeat(64);
        String n = Secp256k1.N.toString(16);
        String s = R_AND_S.substring(66);
        String r = R_AND_S.substring(2, 66);
        assertEquals(new Recovery.Refused(SignatureRefusal.R_OUT_OF_RANGE),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, "0x" + zero + s + "1c"));
        assertEquals(new Recovery.Refused(SignatureRefusal.R_OUT_OF_RANGE),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, "0x" + n + s + "1c"));
        assertEquals(new Recovery.Refused(SignatureRefusal.S_OUT_OF_RANGE),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, "0x" + r + zero + "1c"));
        assertEquals(new Recovery.Refused(SignatureRefusal.S_OUT_OF_RANGE),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, "0x" + r + n + "1c"));
        assertEquals(new Recovery.Refused(SignatureRefusal.WRONG_LENGTH),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, R_AND_S));
        assertEquals(new Recovery.Refused(SignatureRefusal.WRONG_LENGTH),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, ANVIL_SEPOLIA_SIGNATURE + "00"));
        assertEquals(new Recovery.Refused(SignatureRefusal.MALFORMED_HEX),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, ANVIL_SEPOLIA_SIGNATURE.substring(2)));
    }

    @Test
    void refusesAnRThatIsNoPointsXCoordinate() {
        // x = 5 is not the x coordinate of any secp256k1 point (5^3 + 7 = 132 is a non-residue).
        String r = "0".repeat(63) + "5";
        assertEquals(new Recovery.Refused(SignatureRefusal.NOT_RECOVERABLE),
                Secp256k1.recover(ANVIL_SEPOLIA_DIGEST, "0x" + r + R_AND_S.substring(66) + "1c"));
    }

    @Test
    void recoversADifferentSignerForAnotherDigest() {
        Bytes32 other = Keccak256.hash("another digest");
        assertFalse(Secp256k1.recover(other, ANVIL_SEPOLIA_SIGNATURE).isBy(Address.of(ANVIL_0)));
    }

    @Test
    void signsTheSpendingMandateAsThePrincipal() {
        TypedData mandate = typedData("spending-mandate.json");
        String expected = "0x43edf10e04e3b512841331f7cf9d8e44a70d699cd2792da73ce34e589c24285c5286"
                + "afc9f95070f13142f3c7f918f0bee99a070c99eeecefe1caca390e76806b1b";
        assertEquals(expected, Secp256k1Key.fromHex(ANVIL_0_KEY).sign(mandate.digest()).hex());
        assertTrue(Secp256k1.recover(mandate.digest(), expected).isBy(Address.of(ANVIL_0)));
    }

    @Test
    void childMandateSignaturesRecoverTheParentsAgentOrTheRootPrincipal() {
        TypedData child = typedData("spending-mandate-child.json");
        String byAgent = "0x2d7580884eb3ddbc62987e9a94f959e5b57c07f587be5264ab6515ba753f530b6968da"
                + "bfb4276bec7af06a9b759e9f83e0b03893e9d391a726f5d94e76d657431b";
        String byRoot = "0x9c3599edb8b5a71bcd51649d3e6dffd71a1512990e2336f95e7f672900763ef82b3a0e"
                + "f9a4961b40fd681adc275899f2483ab925e127b550c53c7b8682c813441b";
        assertEquals(byAgent, Secp256k1Key.fromHex(ANVIL_1_KEY).sign(child.digest()).hex());
        assertEquals(byRoot, Secp256k1Key.fromHex(ANVIL_0_KEY).sign(child.digest()).hex());
        assertTrue(Secp256k1.recover(child.digest(), byAgent).isBy(Address.of(ANVIL_1)));
        assertTrue(Secp256k1.recover(child.digest(), byRoot).isBy(Address.of(ANVIL_0)));
        assertFalse(Secp256k1.recover(child.digest(), byRoot).isBy(Address.of(ANVIL_1)));
    }

    @Test
    void mandateSignatureDoesNotVerifyOnAnotherChain() {
        TypedData mandate = typedData("spending-mandate.json");
        String signature = Secp256k1Key.fromHex(ANVIL_0_KEY).sign(mandate.digest()).hex();
        ObjectNode onBase = mandate.message().deepCopy();
        onBase.put("asset", Asset.BASE_USDC.address());
        Bytes32 baseDigest = PurserTypes.SPENDING_MANDATE
                .typedData(PurserTypes.mandateDomain(8453), onBase).digest();
        assertFalse(Secp256k1.recover(baseDigest, signature).isBy(Address.of(ANVIL_0)));
    }

    @Test
    void signsThePersonalSignVectorOfWeb3j() {
        Secp256k1Key key = Secp256k1Key.fromHex(
                "0xa392604efc2fad9c0b3da43b5f698a2e3f270f170d859912be0d54742275c5f6");
        assertEquals("0xef678007D18427E6022059Dbc264f27507CD1ffC", key.address().toString());
        byte[] message = "A test message".getBytes(StandardCharsets.UTF_8);
        byte[] prefix = ("\u0019Ethereum Signed Message:\n" + message.length)
                .getBytes(StandardCharsets.UTF_8);
        byte[] prefixed = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, prefixed, 0, prefix.length);
        System.arraycopy(message, 0, prefixed, prefix.length, message.length);
        Bytes32 hash = Keccak256.hash(prefixed);
        assertEquals("0x2849dc18fc727c23e85ab03b9c2224025506e557737a5ed66091522b03ad9fa2",
                hash.hex());
        Signature signature = key.sign(hash);
        assertEquals("0x0464eee9e2fe1a10ffe48c78b80de1ed8dcf996f3f60955cb2e03cb21903d930"
                + "06624da478b3f862582e85b31c6a21c6cae2eee2bd50f55c93c4faad9d9c8d7f1c",
                signature.hex());
    }

    @Test
    void keysOutsideTheGroupAreRefusedAndNeverPrinted() {
        assertThrows(IllegalArgumentException.class,
                () -> Secp256k1Key.fromHex("0x" + "0".repeat(64)));
        assertThrows(IllegalArgumentException.class,
                () -> Secp256k1Key.fromHex("0x" + Secp256k1.N.toString(16)));
        Secp256k1Key key = Secp256k1Key.fromHex(ANVIL_0_KEY);
        assertFalse(key.toString().contains(ANVIL_0_KEY.substring(2, 10)));
    }

    @Test
    void generatedKeysSignLowSAndRecover() {
        Secp256k1Key key = Secp256k1Key.generate(new java.security.SecureRandom());
        for (int i = 0; i < 8; i++) {
            Bytes32 digest = Keccak256.hash("message " + i);
            Signature signature = key.sign(digest);
            assertTrue(signature.s().compareTo(Secp256k1.HALF_N) <= 0);
            assertTrue(Secp256k1.recover(digest, signature.toBytes()).isBy(key.address()));
        }
    }
}
