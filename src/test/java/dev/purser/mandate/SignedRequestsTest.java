package dev.purser.mandate;

import static dev.purser.mandate.Fixtures.ANVIL_0;
import static dev.purser.mandate.Fixtures.ANVIL_1;
import static dev.purser.mandate.Fixtures.ROOT_ID;
import static dev.purser.mandate.Fixtures.ROOT_SIGNATURE;
import static dev.purser.mandate.Fixtures.accepted;
import static dev.purser.mandate.Fixtures.body;
import static dev.purser.mandate.Fixtures.rootMessage;
import static dev.purser.mandate.Fixtures.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.crypto.TypedDataSchema;
import dev.purser.money.Amount;
import org.junit.jupiter.api.Test;

/** The principal's RevokeMandate and the agent's Draw (DESIGN §8). */
class SignedRequestsTest {

    private final SignedRequests requests = new SignedRequests(verifier());

    private final Mandate root = accepted(verifier().verify(body(rootMessage(), ROOT_SIGNATURE)));

    private static String signedBody(String member, ObjectNode struct, TypedDataSchema kind,
            Secp256k1Key key) {
        ObjectNode body = Fixtures.JSON.createObjectNode();
        body.set(member, struct);
        body.put("signature", key.sign(kind.typedData(PurserTypes.mandateDomain(84532), struct)
                .digest()).hex());
        return body.toString();
    }

    private static ObjectNode revocation(String id) {
        return Fixtures.JSON.createObjectNode().put("mandateId", id).put("revokedAt",
                1_780_000_000L);
    }

    private static ObjectNode draw(long deadline) {
        return Fixtures.JSON.createObjectNode().put("mandateId", ROOT_ID).put("amount", "10000")
                .put("idempotencyKey", "0x" + "ab".repeat(32)).put("memo", "coffee")
                .put("deadline", deadline);
    }

    private static MandateRefusal refusal(Verification<?> verification) {
        return assertInstanceOf(Verification.Refused.class, verification).refusal();
    }

    @Test
    void thePrincipalRevokes() {
        Verification<Revocation> check = requests.revocation(signedBody("revocation",
                revocation(ROOT_ID), PurserTypes.REVOKE_MANDATE, ANVIL_0), root);
        Revocation revocation = assertInstanceOf(Verification.Accepted.class, check).value()
                instanceof Revocation r ? r : null;
        assertEquals(ROOT_ID, revocation.mandateId().hex());
        assertEquals(root.principal(), revocation.signer());
    }

    @Test
    void nobodyElseRevokes() {
        MandateRefusal refusal = refusal(requests.revocation(signedBody("revocation",
                revocation(ROOT_ID), PurserTypes.REVOKE_MANDATE, ANVIL_1), root));
        assertEquals("signature_mismatch", refusal.code());
    }

    @Test
    void aRevocationOfAnotherMandateIsInvalid() {
        MandateRefusal refusal = refusal(requests.revocation(signedBody("revocation",
                revocation("0x" + "22".repeat(32)), PurserTypes.REVOKE_MANDATE, ANVIL_0), root));
        assertEquals("invalid", refusal.code());
        assertEquals("revocation.mandateId", refusal.field());
    }

    @Test
    void aMalformedRevocationNamesTheField() {
        MandateRefusal refusal = refusal(requests.revocation(
                "{\"revocation\":{\"mandateId\":\"" + ROOT_ID + "\"},\"signature\":\""
                        + ROOT_SIGNATURE + "\"}", root));
        assertEquals("invalid", refusal.code());
        assertEquals("revocation.revokedAt", refusal.field());
    }

    @Test
    void theAgentDraws() {
        Verification<Draw> check = requests.draw(signedBody("draw", draw(1_780_000_060L),
                PurserTypes.DRAW, ANVIL_1), root, false);
        Draw accepted = (Draw) assertInstanceOf(Verification.Accepted.class, check).value();
        assertEquals(Amount.of(10_000), accepted.amount());
        assertTrue(accepted.signature().isPresent());
    }

    @Test
    void thePrincipalDoesNotDrawAndDeadlinesBind() {
        assertEquals("signature_mismatch", refusal(requests.draw(signedBody("draw",
                draw(1_780_000_060L), PurserTypes.DRAW, ANVIL_0), root, false)).code());
        assertEquals("expired", refusal(requests.draw(signedBody("draw",
                draw(1_780_000_000L), PurserTypes.DRAW, ANVIL_1), root, false)).code());
    }

    @Test
    void anUnsignedDrawNeedsAnAuthenticatedAgent() {
        String unsigned = "{\"draw\":" + draw(1_780_000_060L) + "}";
        assertEquals("signature", refusal(requests.draw(unsigned, root, false)).field());
        assertInstanceOf(Verification.Accepted.class, requests.draw(unsigned, root, true));
    }
}
