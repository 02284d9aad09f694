package dev.purser.delegation;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.a2a.client.PaidResult;
import dev.purser.a2a.client.PaidSend;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.testing.Ap2Wallet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delegated task bought under an AP2 mandate (issue 20): the buyer pays Purser's quote for a
 * provider's skill with an x402 payment bound to its AP2 chain, and the AP2 envelope is drawn by
 * the quote exactly as for a local skill. The provider here is this Purser over HTTP (its paid
 * echo, 0.01 USDC) resold with a fee of 0.01 USDC: a quote of 2 cents.
 */
@QuarkusTest
@TestProfile(DelegationProfile.class)
class Ap2DelegatedTaskTest {

    private static final long QUOTE = 20_000;

    @Inject
    Envelopes envelopes;

    private String provider;

    @AfterEach
    void cleanUp() {
        if (provider != null) {
            Buyer.delete(provider);
        }
    }

    @Test
    void aDelegatedSkillIsBoughtUnderAnAp2MandateForTheQuote() throws Exception {
        provider = Buyer.register("{\"cardUrl\": \"" + Buyer.base()
                + "\", \"fee\": {\"amount\": \"10000\"}}");
        Ap2Wallet issuer = new Ap2Wallet();
        Ap2Wallet agent = new Ap2Wallet();
        String open = issuer.issue(Ap2Wallet.openMandate(agent, "1.00", List.of("echo-paid"),
                3600));
        given().contentType("application/json")
                .body(Ap2Wallet.JSON.createObjectNode().put("sdJwt", open).toString())
                .post("/api/a2a/mandates").then().statusCode(201);
        String chain = Ap2Wallet.chain(open, agent.close(open, Ap2Wallet.closedMandate(2),
                envelopes.receiptSigner().checksummed(), UUID.randomUUID().toString()));
        Buyer buyer = new Buyer();

        PaidResult r = new PaidSend(buyer.client, buyer.payer).send(buyer.purser.endpoint(),
                Buyer.ask("echo-paid", "resold under AP2", Map.of("purser.provider", provider,
                        "ap2.mandates.PaymentMandateSdJwt", chain)),
                Buyer.USDC, QUOTE, Bytes32.fromHex(Ap2Wallet.keccak(chain)), Buyer.OPTIONS, null);

        Task done = r.task().orElseThrow();
        assertEquals(TaskState.COMPLETED, done.state(), done::toString);
        assertEquals("resold under AP2", done.artifacts().getFirst().parts().getFirst().text());
        assertEquals(QUOTE, r.paid().orElseThrow().amount());
        JsonNode delegation = done.metadata().get("purser.delegation");
        assertEquals(provider, delegation.get("provider").asText());
        Envelope after = envelopes.find(Bytes32.fromHex(Ap2Wallet.id(open))).orElseThrow();
        assertEquals(QUOTE, after.spent(), "the envelope paid the quote once");
        assertEquals(0, after.reserved());
    }
}
