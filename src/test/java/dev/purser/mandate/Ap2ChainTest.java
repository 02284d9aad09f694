package dev.purser.mandate;

import static dev.purser.mandate.Fixtures.accepted;
import static dev.purser.mandate.Fixtures.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.purser.crypto.Bytes32;
import dev.purser.money.Amount;
import dev.purser.testing.Ap2Wallet;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * AP2 delegation chains at registration (Delegate SD-JWT, ap2.md §2.3), made by the independent
 * {@link Ap2Wallet}: each hop is verified with the previous hop's {@code cnf} key and bound to it
 * by {@code sd_hash}; the last hop is the mandate, signed by its parent's agent.
 */
class Ap2ChainTest {

    private final MandateVerifier verifier =
            new MandateVerifier(MandatePolicy.DEFAULT, Clock.systemUTC());
    private final Ap2Wallet issuer = new Ap2Wallet();
    private final Ap2Wallet agent = new Ap2Wallet();
    private final Ap2Wallet sub = new Ap2Wallet();
    private final Ap2Wallet subSub = new Ap2Wallet();

    private final String root = issuer.issue(Ap2Wallet.openMandate(agent, "1.00",
            List.of("echo-paid"), 3600));

    private static String body(String chain) {
        return Ap2Wallet.JSON.createObjectNode().put("sdJwt", chain).toString();
    }

    private String child(Ap2Wallet signer, String parent, Ap2Wallet holder, String usd) {
        return signer.delegate(parent, Ap2Wallet.openMandate(holder, usd, List.of("echo-paid"),
                1800), "purser", "n-" + usd);
    }

    @Test
    void eachHopOfAChainIsTheMandateOfItsParentsAgent() {
        String child = child(agent, root, sub, "0.50");
        String grandchild = child(sub, child, subSub, "0.10");

        Mandate c = accepted(verifier.verify(body(Ap2Wallet.chain(root, child))));
        assertEquals(Bytes32.fromHex(Ap2Wallet.id(child)), c.id());
        assertEquals(Optional.of(Bytes32.fromHex(Ap2Wallet.id(root))), c.parent());
        assertEquals(Party.P256Key.of(agent.jwk()), c.principal());
        assertEquals(Party.P256Key.of(sub.jwk()), c.agent());
        assertEquals(Amount.of(500_000), c.budget());

        Mandate g = accepted(verifier.verify(body(Ap2Wallet.chain(root, child, grandchild))));
        assertEquals(Optional.of(c.id()), g.parent());
        assertEquals(Party.P256Key.of(sub.jwk()), g.principal());
        assertEquals(Party.P256Key.of(subSub.jwk()), g.agent());
    }

    @Test
    void aHopNotSignedByThePreviousCnfKeyNotBoundToItOrOfTheWrongTypeIsRefused() {
        assertRefused(verifier.verify(body(Ap2Wallet.chain(root, child(sub, root, sub, "0.50")))),
                "signature_mismatch", "sdJwt[1]");
        String other = issuer.issue(Ap2Wallet.openMandate(agent, "1.00", List.of(), 3600));
        assertRefused(verifier.verify(body(Ap2Wallet.chain(root, child(agent, other, sub,
                "0.50")))), "signature_mismatch", "sdJwt[1].sd_hash");
        String closed = agent.close(root, Ap2Wallet.openMandate(sub, "0.50", List.of(), 1800),
                "purser", "n");
        assertRefused(verifier.verify(body(Ap2Wallet.chain(root, closed))), "invalid",
                "sdJwt[1]");
        // A child hop alone cannot be checked: its parent's key is in the hop before it.
        assertRefused(verifier.verify(body(child(agent, root, sub, "0.50"))), "invalid", "sdJwt");
    }
}
