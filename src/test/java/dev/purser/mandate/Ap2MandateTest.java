package dev.purser.mandate;

import static dev.purser.mandate.Fixtures.accepted;
import static dev.purser.mandate.Fixtures.assertRefused;
import static dev.purser.mandate.Fixtures.at;
import static dev.purser.mandate.Fixtures.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Es256;
import dev.purser.crypto.SdJwt;
import dev.purser.crypto.Sha256;
import dev.purser.crypto.TokenParse;
import dev.purser.money.Amount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** AP2 v0.2 open payment mandates (ap2.md §2–3) and the published example (vectors.md §8). */
class Ap2MandateTest {

    private final Ap2Issuer principal = new Ap2Issuer();

    private final Ap2Issuer agent = new Ap2Issuer();

    private ObjectNode content() {
        ObjectNode content = Fixtures.JSON.createObjectNode().put("vct", "mandate.payment.open.1");
        ArrayNode constraints = content.putArray("constraints");
        constraints.addObject().put("type", "payment.budget").put("max", new java.math.BigDecimal(
                "25.50")).put("currency", "USD");
        constraints.addObject().put("type", "payment.amount_range").put("max", 500)
                .put("min", 0).put("currency", "USD");
        constraints.addObject().put("type", "payment.agent_recurrence").put("frequency", "DAILY");
        constraints.addObject().put("type", "payment.allowed_payees").putArray("allowed")
                .addObject().put("id", "purser").put("name", "Purser");
        constraints.addObject().put("type", "org.purser.allowed_skills").putArray("allowed")
                .add("echo-paid");
        content.putObject("cnf").set("jwk", agent.jwk());
        content.put("iat", 1_779_990_000L).put("exp", 1_780_086_400L);
        return content;
    }

    @Test
    void anOpenPaymentMandateMapsOntoAnEnvelope() {
        String token = principal.issue(content());
        Mandate mandate = accepted(verifier().verify(Ap2Issuer.body(token)));
        assertEquals(MandateForm.AP2_SD_JWT, mandate.form());
        assertEquals(Amount.of(25_500_000), mandate.budget());
        assertEquals(Amount.of(5_000_000), mandate.perTaskMax());
        assertEquals(Optional.of(Recurrence.DAILY), mandate.recurrence());
        assertEquals(List.of("purser"), mandate.allowedPayees());
        assertEquals(List.of("echo-paid"), mandate.skills());
        assertEquals(Instant.ofEpochSecond(1_779_990_000L), mandate.notBefore());
        assertEquals(Instant.ofEpochSecond(1_780_086_400L), mandate.expiresAt());
        assertEquals(Party.P256Key.of(principal.jwk()), mandate.principal());
        assertEquals(Party.P256Key.of(agent.jwk()), mandate.agent());
        assertTrue(mandate.principal().id().startsWith(Party.P256Key.URN_PREFIX));
        String jws = token.substring(0, token.indexOf('~'));
        assertEquals(Sha256.hash(jws.getBytes(StandardCharsets.US_ASCII)), mandate.id());
    }

    @Test
    void theIssuerKeyMayComeWithTheBodyInstead() {
        ObjectNode header = Fixtures.JSON.createObjectNode().put("alg", "ES256")
                .put("kid", "tsp-key-1");
        String token = principal.issue(header, content(), principal);
        assertRefused(verifier().verify(Ap2Issuer.body(token)), "invalid", "issuerJwk");
        ObjectNode body = Fixtures.JSON.createObjectNode().put("sdJwt", token);
        body.set("issuerJwk", principal.jwk());
        Mandate mandate = accepted(verifier().verify(body.toString()));
        assertEquals(Party.P256Key.of(principal.jwk()), mandate.principal());
    }

    @Test
    void aBadSignatureIsASignatureMismatch() {
        ObjectNode header = Fixtures.JSON.createObjectNode().put("alg", "ES256");
        header.set("jwk", principal.jwk());
        String forged = principal.issue(header, content(), agent);
        assertRefused(verifier().verify(Ap2Issuer.body(forged)), "signature_mismatch", "sdJwt");
    }

    @Test
    void anUnknownConstraintFails() {
        ObjectNode content = content();
        ((ArrayNode) content.get("constraints")).addObject().put("type", "com.example.loyalty")
                .put("points", 3);
        assertRefused(verifier().verify(Ap2Issuer.body(principal.issue(content))),
                "unknown_constraint", "delegate_payload[0].constraints[5].type");
    }

    @Test
    void constraintsPurserCannotEnforceFail() {
        ObjectNode occurrences = content();
        ((ObjectNode) occurrences.get("constraints").get(2)).put("max_occurrences", 3);
        assertRefused(verifier().verify(Ap2Issuer.body(principal.issue(occurrences))),
                "unknown_constraint", "delegate_payload[0].constraints[2].max_occurrences");
        ObjectNode quarterly = content();
        ((ObjectNode) quarterly.get("constraints").get(2)).put("frequency", "QUARTERLY");
        assertRefused(verifier().verify(Ap2Issuer.body(principal.issue(quarterly))),
                "unknown_constraint", "delegate_payload[0].constraints[2].frequency");
        ObjectNode preset = content();
        preset.putObject("payee").put("id", "m").put("name", "M");
        assertRefused(verifier().verify(Ap2Issuer.body(principal.issue(preset))),
                "unknown_constraint", "delegate_payload[0].payee");
    }

    @Test
    void amountsAreUsdOnlyAndExact() {
        ObjectNode euro = content();
        ((ObjectNode) euro.get("constraints").get(0)).put("currency", "EUR");
        assertRefused(verifier().verify(Ap2Issuer.body(principal.issue(euro))),
                "unsupported_asset", "delegate_payload[0].constraints[0].currency");
        ObjectNode subCent = content();
        ((ObjectNode) subCent.get("constraints").get(0)).put("max",
                new java.math.BigDecimal("1.005"));
        assertRefused(verifier().verify(Ap2Issuer.body(principal.issue(subCent))), "invalid",
                "delegate_payload[0].constraints[0].max");
        ObjectNode noBudget = content();
        ((ArrayNode) noBudget.get("constraints")).remove(0);
        assertRefused(verifier().verify(Ap2Issuer.body(principal.issue(noBudget))), "invalid",
                "delegate_payload[0].constraints");
        ObjectNode badBudget = content();
        ((ObjectNode) badBudget.get("constraints").get(0)).put("max", "25");
        assertRefused(verifier().verify(Ap2Issuer.body(principal.issue(badBudget))), "invalid",
                "delegate_payload[0].constraints[0].max");
    }

    @Test
    void theValidityWindowBinds() {
        String token = principal.issue(content());
        assertRefused(verifier(at(1_780_086_400L)).verify(Ap2Issuer.body(token)), "expired",
                "delegate_payload[0].exp");
        assertRefused(verifier(at(1_779_989_999L)).verify(Ap2Issuer.body(token)),
                "not_yet_valid", "delegate_payload[0].nbf");
        ObjectNode dated = content();
        ((ArrayNode) dated.get("constraints")).addObject().put("type", "payment.execution_date")
                .put("not_after", "2026-05-28T23:00:00Z");
        Mandate narrowed = accepted(verifier().verify(Ap2Issuer.body(principal.issue(dated))));
        assertEquals(Instant.parse("2026-05-28T23:00:00Z"), narrowed.expiresAt());
    }

    @Test
    void aClosedMandateIsNotARegistration() {
        assertRefused(verifier().verify(Ap2Issuer.body("a.b.c")), "invalid", "sdJwt");
    }

    // --- vectors.md §8: the AP2 spec's own example chain ------------------------------------

    private static String vector(String name) throws IOException {
        try (InputStream in = Ap2MandateTest.class.getResourceAsStream("/crypto/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    private static JsonNode vectorContent() throws IOException {
        SdJwt open = assertInstanceOf(TokenParse.Parsed.class, SdJwt.parse(
                vector("ap2-open-mandate.sdjwt"))).value() instanceof SdJwt s ? s : null;
        return open.claims().get("delegate_payload").get(0);
    }

    @Test
    void theSpecExampleIsRefusedForItsCheckoutReference() throws IOException {
        Refuse refusal = org.junit.jupiter.api.Assertions.assertThrows(Refuse.class,
                () -> Ap2Mandates.terms(vectorContent(), MandateSchemas.load()));
        assertEquals("unknown_constraint", refusal.refusal().code());
        assertEquals("delegate_payload[0].constraints[2].type", refusal.refusal().field());
    }

    @Test
    void theSpecExampleWithABudgetMapsAndItsClosedMandateVerifiesWithTheAgentKey()
            throws IOException {
        ObjectNode content = (ObjectNode) vectorContent().deepCopy();
        ArrayNode constraints = (ArrayNode) content.get("constraints");
        constraints.remove(2);
        constraints.addObject().put("type", "payment.budget").put("max", 500).put("currency",
                "USD");
        Ap2Mandates.Terms terms = Ap2Mandates.terms(content, MandateSchemas.load());
        assertEquals(Amount.of(500_000_000), terms.budget());
        // amount_range max 20000 cents = 200 USD = 200 000 000 USDC atomic units.
        assertEquals(Amount.of(200_000_000), terms.perTaskMax());
        assertEquals(List.of("merchant_1"), terms.payees());
        assertEquals(Optional.of(Instant.ofEpochSecond(1777345957L)), terms.expiresAt());
        SdJwt closed = assertInstanceOf(TokenParse.Parsed.class, SdJwt.parse(
                vector("ap2-closed-mandate.sdjwt"))).value() instanceof SdJwt s ? s : null;
        assertEquals(Es256.Verdict.VALID, closed.jwt().verifyEs256(terms.agent().jwk()));
    }
}
