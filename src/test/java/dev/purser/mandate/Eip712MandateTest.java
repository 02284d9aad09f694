package dev.purser.mandate;

import static dev.purser.mandate.Fixtures.ANVIL_0;
import static dev.purser.mandate.Fixtures.ANVIL_1;
import static dev.purser.mandate.Fixtures.CHILD_ID;
import static dev.purser.mandate.Fixtures.CHILD_SIGNATURE;
import static dev.purser.mandate.Fixtures.CHILD_SIGNED_BY_ROOT;
import static dev.purser.mandate.Fixtures.ROOT_ID;
import static dev.purser.mandate.Fixtures.ROOT_SIGNATURE;
import static dev.purser.mandate.Fixtures.accepted;
import static dev.purser.mandate.Fixtures.assertRefused;
import static dev.purser.mandate.Fixtures.at;
import static dev.purser.mandate.Fixtures.body;
import static dev.purser.mandate.Fixtures.childMessage;
import static dev.purser.mandate.Fixtures.refused;
import static dev.purser.mandate.Fixtures.rootMessage;
import static dev.purser.mandate.Fixtures.signed;
import static dev.purser.mandate.Fixtures.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import dev.purser.crypto.Secp256k1;
import dev.purser.money.Amount;
import dev.purser.money.Asset;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The EIP-712 form against vectors.md §6, and each refusal with its code and field. */
class Eip712MandateTest {

    @Test
    void vectorRootMandateVerifiesAndItsIdIsTheDigest() {
        Mandate mandate = accepted(verifier().verify(body(rootMessage(), ROOT_SIGNATURE)));
        assertEquals(ROOT_ID, mandate.id().hex());
        assertEquals(MandateForm.EIP712, mandate.form());
        assertEquals(new Party.Account(ANVIL_0.address()), mandate.principal());
        assertEquals(new Party.Account(ANVIL_1.address()), mandate.agent());
        assertEquals(Asset.BASE_SEPOLIA_USDC, mandate.asset());
        assertEquals(Amount.of(10_000_000), mandate.budget());
        assertEquals(Amount.of(1_000_000), mandate.perTaskMax());
        assertEquals(List.of("summarize", "translate"), mandate.skills());
        assertEquals(Instant.ofEpochSecond(1767225600), mandate.notBefore());
        assertEquals(Instant.ofEpochSecond(1798761600), mandate.expiresAt());
        assertEquals(Optional.empty(), mandate.parent());
        assertEquals(Optional.empty(), mandate.recurrence());
        assertEquals(ROOT_SIGNATURE, mandate.document().get("signature").textValue());
    }

    @Test
    void signingTheVectorReproducesItsSignature() {
        assertEquals(body(rootMessage(), ROOT_SIGNATURE), signed(rootMessage(), ANVIL_0));
        assertEquals(body(childMessage(), CHILD_SIGNATURE), signed(childMessage(), ANVIL_1));
    }

    @Test
    void digestsMatchTheVectorVariants() {
        ObjectNode anySkill = rootMessage();
        anySkill.putArray("skills");
        assertEquals("0xb91b5fd347f3ba2ef9e1de72cbdef0511420f7049616dbda438060471d3a4c20",
                Eip712Mandates.digest(anySkill, 84532).hex());
        ObjectNode mainnet = rootMessage();
        mainnet.put("asset", Asset.BASE_USDC.address());
        assertEquals("0x92cee07d2077005dd1c96262503d11c644675fe060d6fa113259d8c12a3e23e8",
                Eip712Mandates.digest(mainnet, 8453).hex());
    }

    @Test
    void vectorChildVerifiesWhenSignedByTheParentsAgent() {
        Mandate child = accepted(verifier().verify(body(childMessage(), CHILD_SIGNATURE)));
        assertEquals(CHILD_ID, child.id().hex());
        assertEquals(Optional.of(Bytes32.fromHex(ROOT_ID)), child.parent());
        assertTrue(child.isChild());
    }

    @Test
    void vectorChildSignedByTheRootPrincipalIsRefused() {
        assertRefused(verifier().verify(body(childMessage(), CHILD_SIGNED_BY_ROOT)),
                "signature_mismatch", "signature");
    }

    @Test
    void oneChangedFieldIsASignatureMismatch() {
        ObjectNode changed = rootMessage();
        changed.put("budget", "10000001");
        MandateRefusal refusal = refused(verifier().verify(body(changed, ROOT_SIGNATURE)));
        assertEquals("signature_mismatch", refusal.code());
        assertEquals(422, refusal.httpStatus());
        assertEquals("signature", refusal.field());
    }

    @Test
    void aSignatureFromAnotherKeyIsASignatureMismatch() {
        assertRefused(verifier().verify(signed(rootMessage(), ANVIL_1)), "signature_mismatch",
                "signature");
    }

    @Test
    void aSignatureForAnotherChainDoesNotVerify() {
        assertRefused(verifier().verify(signed(rootMessage(), ANVIL_0, 8453)),
                "signature_mismatch", "signature");
    }

    @Test
    void theHighSTwinIsRefusedAsMalformed() {
        byte[] signature = Hex.decode(ROOT_SIGNATURE);
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
        byte[] twin = signature.clone();
        byte[] highS = Secp256k1.N.subtract(s).toByteArray();
        System.arraycopy(highS, highS.length - 32, twin, 32, 32);
        twin[64] = (byte) (signature[64] == 27 ? 28 : 27);
        assertRefused(verifier().verify(body(rootMessage(), Hex.encode(twin))),
                "signature_malformed", "signature");
    }

    @Test
    void vOutsideTheAcceptedValuesIsRefusedAndZeroOneAreNormalized() {
        String v29 = ROOT_SIGNATURE.substring(0, 130) + "1d";
        assertRefused(verifier().verify(body(rootMessage(), v29)), "signature_malformed",
                "signature");
        String v0 = ROOT_SIGNATURE.substring(0, 130) + "00";
        Mandate mandate = accepted(verifier().verify(body(rootMessage(), v0)));
        assertEquals(ROOT_SIGNATURE, mandate.document().get("signature").textValue());
    }

    @Test
    void anExpiredMandateIsRefused() {
        assertRefused(verifier(at(1798761600)).verify(body(rootMessage(), ROOT_SIGNATURE)),
                "expired", "mandate.expiresAt");
    }

    @Test
    void aMandateBeforeItsNotBeforeIsRefused() {
        assertRefused(verifier(at(1767225599)).verify(body(rootMessage(), ROOT_SIGNATURE)),
                "not_yet_valid", "mandate.notBefore");
    }

    @Test
    void anAssetOtherThanTheNetworksUsdcIsRefused() {
        ObjectNode message = rootMessage();
        message.put("asset", Asset.BASE_USDC.address());
        assertRefused(verifier().verify(signed(message, ANVIL_0)), "unsupported_asset",
                "mandate.asset");
    }

    @Test
    void budgetsBeyondALongAreOutOfRange() {
        ObjectNode message = rootMessage();
        message.put("budget", "9223372036854775808");
        assertRefused(verifier().verify(signed(message, ANVIL_0)), "amount_out_of_range",
                "mandate.budget");
    }

    @Test
    void aPerTaskCapAboveTheBudgetIsRefused() {
        ObjectNode message = rootMessage();
        message.put("perTaskMax", "10000001");
        assertRefused(verifier().verify(signed(message, ANVIL_0)),
                "per_task_max_exceeds_budget", "mandate.perTaskMax");
    }

    @Test
    void schemaViolationsAreInvalidAndNameTheField() {
        ObjectNode numeric = rootMessage();
        numeric.put("budget", 10000000);
        assertRefused(verifier().verify(body(numeric, ROOT_SIGNATURE)), "invalid",
                "mandate.budget");
        ObjectNode missing = rootMessage();
        missing.remove("nonce");
        assertRefused(verifier().verify(body(missing, ROOT_SIGNATURE)), "invalid",
                "mandate.nonce");
        ObjectNode unsigned = rootMessage();
        unsigned.put("recurrence", "daily");
        assertRefused(verifier().verify(body(unsigned, ROOT_SIGNATURE)), "invalid",
                "mandate.recurrence");
        ObjectNode zeroAgent = rootMessage();
        zeroAgent.put("agent", Address.ZERO.lowerHex());
        assertRefused(verifier().verify(body(zeroAgent, ROOT_SIGNATURE)), "invalid",
                "mandate.agent");
        assertRefused(verifier().verify(body(rootMessage(), "0x1234")), "invalid", "signature");
        MandateRefusal refusal = refused(verifier().verify(body(rootMessage(), "0x1234")));
        assertEquals(400, refusal.httpStatus());
        assertTrue(refusal.message().contains("signature"), refusal.message());
    }

    @Test
    void aBadChecksumIsInvalid() {
        ObjectNode message = rootMessage();
        message.put("agent", "0x70997970c51812dc3A010C7d01b50e0d17dc79C8");
        assertRefused(verifier().verify(body(message, ROOT_SIGNATURE)), "invalid",
                "mandate.agent");
    }

    @Test
    void malformedBodiesAreInvalid() {
        assertRefused(verifier().verify("not json"), "invalid", "");
        assertRefused(verifier().verify("[]"), "invalid", "");
        assertRefused(verifier().verify("{}"), "invalid", "mandate");
        String duplicate = body(rootMessage(), ROOT_SIGNATURE).replaceFirst("\\{",
                "{\"signature\":\"0x00\",");
        assertRefused(verifier().verify(duplicate), "invalid", "");
    }

    @Test
    void acceptsAddressesInAnyCase() {
        ObjectNode lower = rootMessage();
        lower.put("principal", lower.get("principal").textValue().toLowerCase());
        assertFalse(verifier().verify(body(lower, ROOT_SIGNATURE)) instanceof MandateCheck.Refused);
    }
}
