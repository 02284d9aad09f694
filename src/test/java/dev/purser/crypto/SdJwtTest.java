package dev.purser.crypto;

import static dev.purser.crypto.TestVectors.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The AP2 v0.2 mandate chain of vectors.md §8. */
class SdJwtTest {

    private static final String OPEN = text("ap2-open-mandate.sdjwt");

    private static final String CLOSED = text("ap2-closed-mandate.sdjwt");

    private static SdJwt parsed(String token) {
        TokenParse<SdJwt> parse = SdJwt.parse(token);
        return assertInstanceOf(TokenParse.Parsed.class, parse, () -> parse.toString())
                .value() instanceof SdJwt sdJwt ? sdJwt : null;
    }

    private static TokenRefusal refusal(String token) {
        TokenParse<SdJwt> parse = SdJwt.parse(token);
        return assertInstanceOf(TokenParse.Refused.class, parse).reason();
    }

    @Test
    void digestsEachDisclosureAsTheIssuerDid() {
        SdJwt open = parsed(OPEN);
        assertEquals(List.of("oEH7i1gyb-zn6awwjy57LvzxkQDfD-8tvlC2XuIkgOA",
                "3YRtZ-lBNhI_YhggShrdHhrSuDPSpwMvJ3VWjUnhDQM"),
                open.disclosures().stream().map(Disclosure::digest).toList());
        assertEquals("3YRtZ-lBNhI_YhggShrdHhrSuDPSpwMvJ3VWjUnhDQM",
                open.jwt().payload().get("delegate_payload").get(0).get("...").textValue());
        assertEquals(List.of("G2DuU6IjyDkD-9ItStdsUo48C5uJqDs1E9Hf5GT3TgM"),
                parsed(CLOSED).disclosures().stream().map(Disclosure::digest).toList());
    }

    @Test
    void reconstructsTheOpenMandateIncludingItsNestedPayee() {
        SdJwt open = parsed(OPEN);
        assertEquals("example+sd-jwt", open.jwt().type());
        assertTrue(open.keyBinding().isEmpty());
        JsonNode mandate = open.claims().get("delegate_payload").get(0);
        assertEquals("mandate.payment.open.1", mandate.get("vct").textValue());
        assertEquals(20000, mandate.at("/constraints/0/max").intValue());
        JsonNode payee = mandate.at("/constraints/1/allowed/0");
        assertEquals("merchant_1", payee.get("id").textValue());
        assertFalse(open.claims().has("_sd_alg"));
    }

    @Test
    void bindsTheClosedMandateToTheOpenOneWithSdHashOverTheTrailingTilde() {
        SdJwt open = parsed(OPEN);
        SdJwt closed = parsed(CLOSED);
        assertEquals(OPEN, open.issuance());
        assertEquals("uixoHemmfrrCSbPREo9j-ziLuMkqExsPeWrwA-PK0Ck", open.sdHash());
        assertEquals(open.sdHash(), closed.jwt().payload().get("sd_hash").textValue());
        String withoutTilde = Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.hash(
                OPEN.substring(0, OPEN.length() - 1).getBytes(StandardCharsets.US_ASCII)).bytes());
        assertEquals("dkPqOUQh7XFXgN96p5wCTa5ZS8Br_9sSFVL30LUqToQ", withoutTilde);
    }

    @Test
    void closedMandateIsSignedByTheOpenMandatesConfirmationKey() {
        JsonNode jwk = parsed(OPEN).claims().at("/delegate_payload/0/cnf/jwk");
        SdJwt closed = parsed(CLOSED);
        assertEquals("kb+sd-jwt", closed.jwt().type());
        assertEquals(Es256.Verdict.VALID, closed.jwt().verifyEs256(jwk));
        JsonNode payment = closed.claims().get("delegate_payload").get(0);
        assertEquals("mandate.payment.1", payment.get("vct").textValue());
        assertEquals(19900, payment.at("/payment_amount/amount").intValue());
        assertEquals("USD", payment.at("/payment_amount/currency").textValue());
        assertEquals("Card \u2022\u2022\u20224242",
                payment.at("/payment_instrument/description").textValue());
    }

    @Test
    void splitsTheChainIntoHopsThatParseAlone() {
        List<String> hops = SdJwt.splitChain(OPEN + "~" + CLOSED);
        assertEquals(List.of(OPEN, CLOSED), hops);
    }

    @Test
    void refusesATamperedClosedMandate() {
        JsonNode jwk = parsed(OPEN).claims().at("/delegate_payload/0/cnf/jwk");
        String[] parts = CLOSED.split("\\.", 3);
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8).replace("credential-provider", "credential-provider2");
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(Es256.Verdict.INVALID_SIGNATURE, parsed(tampered).jwt().verifyEs256(jwk));
    }

    @Test
    void refusesADisclosureThatNoDigestReferences() {
        String closedDisclosure = CLOSED.split("~")[1];
        assertEquals(TokenRefusal.UNREFERENCED_DISCLOSURE,
                refusal(OPEN + closedDisclosure + "~"));
    }

    @Test
    void refusesADisclosurePresentedTwice() {
        String disclosure = OPEN.split("~")[1];
        assertEquals(TokenRefusal.DUPLICATE_DIGEST, refusal(OPEN + disclosure + "~"));
    }

    @Test
    void dropsAnArrayElementWhoseDisclosureIsWithheld() {
        // Presenting only the mandate, not the payee, hides the payee: a decoy-like digest.
        String[] parts = OPEN.split("~");
        SdJwt open = parsed(parts[0] + "~" + parts[2] + "~");
        assertEquals(0, open.claims().at("/delegate_payload/0/constraints/1/allowed").size());
    }

    @Test
    void refusesMalformedTokens() {
        assertEquals(TokenRefusal.MALFORMED_STRUCTURE, refusal(OPEN.split("~")[0]));
        assertEquals(TokenRefusal.MALFORMED_STRUCTURE, refusal("a.b~"));
        assertEquals(TokenRefusal.MALFORMED_BASE64URL, refusal("a=.b.c~"));
        assertEquals(TokenRefusal.MALFORMED_STRUCTURE, refusal(OPEN + "~" + CLOSED));
        String notArray = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(TokenRefusal.MALFORMED_DISCLOSURE, refusal(OPEN + notArray + "~"));
        assertEquals(TokenRefusal.TOO_LARGE, refusal("a".repeat(SdJwt.MAX_CHARS + 1)));
    }

    @Test
    void parsesAJwsAlone() {
        TokenParse<Jws> parse = Jws.parse(CLOSED.split("~")[0]);
        Optional<Jws> jws = parse.toOptional();
        assertTrue(jws.isPresent());
        assertEquals("ES256", jws.get().header().get("alg").textValue());
        assertEquals(64, jws.get().signature().length);
    }
}
