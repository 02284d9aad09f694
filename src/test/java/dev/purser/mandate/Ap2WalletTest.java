package dev.purser.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.testing.Ap2Wallet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test wallet that builds AP2 chains for the end-to-end tests is checked against the spec's
 * published chain (vectors.md §8), so that those tests prove Purser against the format, not
 * against itself.
 */
class Ap2WalletTest {

    private static final String CLOSED_JWS = Ap2DrawsTest.CLOSED.substring(0,
            Ap2DrawsTest.CLOSED.indexOf('~'));

    @Test
    void itsDigestsAndSdHashAreThePublishedOnes() {
        String[] open = Ap2DrawsTest.OPEN.split("~");
        assertEquals("oEH7i1gyb-zn6awwjy57LvzxkQDfD-8tvlC2XuIkgOA", Ap2Wallet.digest(open[1]));
        assertEquals("3YRtZ-lBNhI_YhggShrdHhrSuDPSpwMvJ3VWjUnhDQM", Ap2Wallet.digest(open[2]));
        assertEquals("G2DuU6IjyDkD-9ItStdsUo48C5uJqDs1E9Hf5GT3TgM",
                Ap2Wallet.digest(Ap2DrawsTest.CLOSED.split("~")[1]));
        assertEquals("uixoHemmfrrCSbPREo9j-ziLuMkqExsPeWrwA-PK0Ck",
                Ap2Wallet.digest(Ap2DrawsTest.OPEN));
        assertEquals("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
                Ap2Wallet.keccak(""), "keccak256 of nothing (ap2.md §4)");
    }

    @Test
    void itVerifiesThePublishedClosedMandateWithTheCnfKeyAndNothingElse() {
        JsonNode cnf = Ap2DrawsTest.AGENT.jwk();
        assertTrue(Ap2Wallet.verifies(CLOSED_JWS, cnf));
        assertFalse(Ap2Wallet.verifies(CLOSED_JWS, new Ap2Wallet().jwk()));
        String tampered = CLOSED_JWS.substring(0, CLOSED_JWS.lastIndexOf('.') - 2) + "AA"
                + CLOSED_JWS.substring(CLOSED_JWS.lastIndexOf('.'));
        assertFalse(Ap2Wallet.verifies(tampered, cnf));
    }

    @Test
    void theHopsItMakesHaveThePublishedShape() throws Exception {
        Ap2Wallet issuer = new Ap2Wallet();
        Ap2Wallet agent = new Ap2Wallet();
        String open = issuer.issue(Ap2Wallet.JSON.createObjectNode().put("vct", "x"));
        String closed = agent.close(open, Ap2Wallet.JSON.createObjectNode().put("vct", "y"),
                "aud", "nonce");
        String closedJws = closed.substring(0, closed.indexOf('~'));
        assertEquals(names(part(CLOSED_JWS, 0)), names(part(closedJws, 0)), "header members");
        assertEquals(names(part(CLOSED_JWS, 1)), names(part(closedJws, 1)), "payload members");
        assertEquals("kb+sd-jwt", part(closedJws, 0).get("typ").asText());
        assertEquals(Ap2Wallet.digest(open), part(closedJws, 1).get("sd_hash").asText());
        assertTrue(Ap2Wallet.verifies(closedJws, agent.jwk()));
        assertTrue(closed.endsWith("~") && Ap2Wallet.chain(open, closed).contains("~~"));
    }

    private static JsonNode part(String jws, int index) throws Exception {
        return Ap2Wallet.JSON.readTree(new String(Base64.getUrlDecoder().decode(
                jws.split("\\.")[index]), StandardCharsets.UTF_8));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(String::compareTo);
        return names;
    }
}
