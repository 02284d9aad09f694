package dev.purser.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Sha256;
import dev.purser.ledger.ClosedMandates;
import dev.purser.ledger.Refusal;
import dev.purser.money.Amount;
import dev.purser.money.Asset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * AP2 closed mandates as draws, on the published chain of the AP2 spec (vectors.md §8): the
 * closed mandate verifies with the open one's {@code cnf.jwk}, is bound to it by
 * {@code sd_hash} and grants its {@code payment_amount} (19,900 cents = 199 USDC).
 */
class Ap2DrawsTest {

    /** The open mandate, as presented (with its trailing ~). */
    static final String OPEN = "eyJhbGciOiAiRVMyNTYiLCAidHlwIjogImV4YW1wbGUrc2Qtand0IiwgImtpZCI6ICJhZ2VudC1wcm92aWRlci1rZX"
            + "ktMSJ9.eyJkZWxlZ2F0ZV9wYXlsb2FkIjogW3siLi4uIjogIjNZUnRaLWxCTmhJX1loZ2dTaHJkSGhyU3VEUFNwd01"
            + "2SjNWV2pVbmhEUU0ifV0sICJfc2RfYWxnIjogInNoYS0yNTYifQ.ZQ_5x2hYLusuUNAA2OJloeS2w3fxZRCsSvcU-w"
            + "g9fK7nlMmsbpK6EPlntD8oHq5waegxsLmSL51V5hfyaQViMg~WyJzOVdQdDJVNEdhcGNKc255RWI2YmpnIiwgeyJpZ"
            + "CI6ICJtZXJjaGFudF8xIiwgIm5hbWUiOiAiRGVtbyBNZXJjaGFudCIsICJ3ZWJzaXRlIjogImh0dHBzOi8vZGVtby1"
            + "tZXJjaGFudC5leGFtcGxlIn1d~WyJadEtTNUZTcklBWTZIbEdCNEhvN21nIiwgeyJ2Y3QiOiAibWFuZGF0ZS5wYXlt"
            + "ZW50Lm9wZW4uMSIsICJjb25zdHJhaW50cyI6IFt7InR5cGUiOiAicGF5bWVudC5hbW91bnRfcmFuZ2UiLCAiY3Vycm"
            + "VuY3kiOiAiVVNEIiwgIm1heCI6IDIwMDAwLCAibWluIjogMH0sIHsidHlwZSI6ICJwYXltZW50LmFsbG93ZWRfcGF5"
            + "ZWVzIiwgImFsbG93ZWQiOiBbeyIuLi4iOiAib0VIN2kxZ3liLXpuNmF3d2p5NTdMdnp4a1FEZkQtOHR2bEMyWHVJa2"
            + "dPQSJ9XX0sIHsidHlwZSI6ICJwYXltZW50LnJlZmVyZW5jZSIsICJjb25kaXRpb25hbF90cmFuc2FjdGlvbl9pZCI6"
            + "ICJGekxveGJidGdRR1laeG9TTTJOSllKdGtGVFNzZGZVQm9WRVExMms3Sk44In1dLCAiY25mIjogeyJqd2siOiB7Im"
            + "NydiI6ICJQLTI1NiIsICJrdHkiOiAiRUMiLCAieCI6ICJRcFN5eFBRSHkzOHhja3l2RHI1NGdaM1Q0MnpqOWlMdFY0"
            + "a295YjVVMjdjIiwgInkiOiAiMzdITGQ3SkppbnhqSkluOEo3SGlqc3NvZWNCbGZoZFctZ1VMN2ZlSTlsdyJ9fSwgIm"
            + "lhdCI6IDE3NzczNDIzNTcsICJleHAiOiAxNzc3MzQ1OTU3fV0~";

    static final String CLOSED = "eyJhbGciOiAiRVMyNTYiLCAidHlwIjogImtiK3NkLWp3dCJ9.eyJkZWxlZ2F0ZV9wYXlsb2FkIjogW3siLi4uIjogI"
            + "kcyRHVVNklqeURrRC05SXRTdGRzVW80OEM1dUpxRHMxRTlIZjVHVDNUZ00ifV0sICJpYXQiOiAxNzc3MzQyMzcwLCA"
            + "iYXVkIjogImNyZWRlbnRpYWwtcHJvdmlkZXIiLCAibm9uY2UiOiAiYThiN2M2ZDVlNGYzYTJiMWMwZDllOGY3YTZiN"
            + "WM0ZDMiLCAic2RfaGFzaCI6ICJ1aXhvSGVtbWZyckNTYlBSRW85ai16aUx1TWtxRXhzUGVXcndBLVBLMENrIiwgIl9"
            + "zZF9hbGciOiAic2hhLTI1NiJ9.TgI6w9zeL993uzAYE9fnAJXjnrpliDY5DpDKTSQoioH3msapVIz0Ex23ncQXwmsS"
            + "mT3xOqkSpigQD1EYKck-dQ~WyJmVzZNY0JKSW1xT0R1aFFscEk0SWR3IiwgeyJ2Y3QiOiAibWFuZGF0ZS5wYXltZW5"
            + "0LjEiLCAidHJhbnNhY3Rpb25faWQiOiAiTml2V2h1cWZ6Y3ZaTmFwdklFSjItM3RzZFFMa2l1SWN5ZTJnNDZXVmdYO"
            + "CIsICJwYXllZSI6IHsiaWQiOiAibWVyY2hhbnRfMSIsICJuYW1lIjogIkRlbW8gTWVyY2hhbnQiLCAid2Vic2l0ZSI"
            + "6ICJodHRwczovL2RlbW8tbWVyY2hhbnQuZXhhbXBsZSJ9LCAicGF5bWVudF9hbW91bnQiOiB7ImFtb3VudCI6IDE5O"
            + "TAwLCAiY3VycmVuY3kiOiAiVVNEIn0sICJwYXltZW50X2luc3RydW1lbnQiOiB7ImlkIjogInN0dWIiLCAidHlwZSI"
            + "6ICJjYXJkIiwgImRlc2NyaXB0aW9uIjogIkNhcmQgXHUyMDIyXHUyMDIyXHUyMDIyNDI0MiJ9fV0~";

    static final String CHAIN = OPEN + "~" + CLOSED;

    static final Party.P256Key AGENT = Party.P256Key.of(Fixtures.JSON.createObjectNode()
            .put("kty", "EC").put("crv", "P-256")
            .put("x", "QpSyxPQHy38xckyvDr54gZ3T42zj9iLtV4koyb5U27c")
            .put("y", "37HLd7JJinxjJIn8J7HijssoecBlfhdW-gUL7feI9lw"));

    static final Instant NOW = Instant.ofEpochSecond(1_777_342_400L);

    /** The published closed mandate is addressed to a credential provider. */
    static final Set<String> AUD = Set.of("credential-provider");

    private static Mandate mandate(Bytes32 id, Party agent, List<String> payees) {
        return new Mandate(id, MandateForm.AP2_SD_JWT, AGENT, agent, Asset.BASE_SEPOLIA_USDC,
                Amount.of(1_000_000_000L), Amount.ZERO, List.of(), NOW.minusSeconds(60),
                NOW.plusSeconds(3600), Optional.empty(), Optional.empty(), Optional.empty(),
                payees, List.of(), Fixtures.JSON.createObjectNode());
    }

    private static Bytes32 openId() {
        String jws = OPEN.substring(0, OPEN.indexOf('~'));
        return Sha256.hash(jws.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void thePublishedClosedMandateDrawsItsAmountOnce() {
        ClosedMandates.Accepted a = assertInstanceOf(ClosedMandates.Accepted.class,
                Ap2Draws.check(mandate(openId(), AGENT, List.of("merchant_1")), CHAIN, NOW, AUD));
        assertEquals(199_000_000L, a.amount());
        assertEquals("ap2:NivWhuqfzcvZNapvIEJ2-3tsdQLkiuIcye2g46WVgX8", a.memo());
        String closedJws = CLOSED.substring(0, CLOSED.indexOf('~'));
        assertEquals(Sha256.hash(closedJws.getBytes(StandardCharsets.US_ASCII)), a.key());
    }

    @Test
    void anotherMandateAnotherAgentKeyOrPayeeOrAWrongShapeIsRefused() {
        assertEquals(Refusal.SIGNATURE_MISMATCH, refusal(Ap2Draws.check(
                mandate(Bytes32.ZERO, AGENT, List.of()), CHAIN, NOW, AUD)));
        Party other = Party.P256Key.of(new Ap2Issuer().jwk());
        assertEquals(Refusal.SIGNATURE_MISMATCH, refusal(Ap2Draws.check(
                mandate(openId(), other, List.of()), CHAIN, NOW, AUD)));
        assertEquals(Refusal.PAYEE_NOT_ALLOWED, refusal(Ap2Draws.check(
                mandate(openId(), AGENT, List.of("purser")), CHAIN, NOW, AUD)));
        // The closed mandate alone does not pass, nor with the open one presented otherwise
        // (a disclosure withheld): sd_hash binds the exact text the agent signed over.
        assertInstanceOf(ClosedMandates.Malformed.class, Ap2Draws.check(
                mandate(openId(), AGENT, List.of()), CLOSED, NOW, AUD));
        String[] open = OPEN.split("~");
        String withheld = open[0] + "~" + open[2] + "~";
        assertEquals(Refusal.SIGNATURE_MISMATCH, refusal(Ap2Draws.check(
                mandate(openId(), AGENT, List.of()), withheld + "~" + CLOSED, NOW, AUD)));
    }

    @Test
    void aClosedMandateForAnotherAudienceOrIssuedOutsideTheSkewIsRefused() {
        Mandate m = mandate(openId(), AGENT, List.of());
        assertEquals(Refusal.AUDIENCE_MISMATCH, refusal(Ap2Draws.check(m, CHAIN, NOW,
                Set.of("https://purser.example"))));
        // iat 1777342370: an hour later it is stale, an hour earlier it is not yet issued.
        assertEquals(Refusal.EXPIRED, refusal(Ap2Draws.check(m, CHAIN, NOW.plusSeconds(3600),
                AUD)));
        assertEquals(Refusal.NOT_YET_VALID, refusal(Ap2Draws.check(m, CHAIN,
                NOW.minusSeconds(3600), AUD)));
        // Within the skew either way it is accepted, with its nonce.
        Ap2Draws.Inspected ok = Ap2Draws.inspect(m, CHAIN, NOW.minusSeconds(200), AUD);
        assertInstanceOf(ClosedMandates.Accepted.class, ok.verdict());
        assertEquals("a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3", ok.nonce());
    }

    private static Refusal refusal(ClosedMandates.Verdict v) {
        return assertInstanceOf(ClosedMandates.Rejected.class, v).reason();
    }
}
