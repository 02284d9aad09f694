package dev.purser.mandate;

import static dev.purser.mandate.Fixtures.ANVIL_0;
import static dev.purser.mandate.Fixtures.ANVIL_1;
import static dev.purser.mandate.Fixtures.CHILD_SIGNATURE;
import static dev.purser.mandate.Fixtures.ROOT_SIGNATURE;
import static dev.purser.mandate.Fixtures.accepted;
import static dev.purser.mandate.Fixtures.assertRefused;
import static dev.purser.mandate.Fixtures.body;
import static dev.purser.mandate.Fixtures.childMessage;
import static dev.purser.mandate.Fixtures.rootMessage;
import static dev.purser.mandate.Fixtures.signed;
import static dev.purser.mandate.Fixtures.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.money.Amount;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A child must narrow its parent (DESIGN §4, §8); vectors.md §6 child under the §6 root. */
class DelegationTest {

    private static final MandatePolicy POLICY = MandatePolicy.DEFAULT;

    private static Mandate root() {
        return accepted(verifier().verify(body(rootMessage(), ROOT_SIGNATURE)));
    }

    private static ParentFacts parent(long remaining) {
        return new ParentFacts(root(), Amount.of(remaining), true, 0);
    }

    private static Mandate child(ObjectNode message) {
        return accepted(verifier().verify(signed(message, ANVIL_1)));
    }

    @Test
    void theVectorChildNarrowsItsParent() {
        Mandate child = accepted(verifier().verify(body(childMessage(), CHILD_SIGNATURE)));
        assertEquals(child, accepted(Delegation.check(child, parent(10_000_000), POLICY)));
    }

    @Test
    void aBudgetAboveWhatTheParentHasLeftIsRefused() {
        Mandate child = child(childMessage());
        assertRefused(Delegation.check(child, parent(2_499_999), POLICY),
                "budget_exceeds_parent", "mandate.budget");
        accepted(Delegation.check(child, parent(2_500_000), POLICY));
    }

    @Test
    void anySkillUnderAParentWithAListWidensIt() {
        ObjectNode message = childMessage();
        message.putArray("skills");
        assertRefused(Delegation.check(child(message), parent(10_000_000), POLICY),
                "scope_widens_parent", "mandate.skills");
    }

    @Test
    void aSkillTheParentLacksWidensIt() {
        ObjectNode message = childMessage();
        message.putArray("skills").add("summarize").add("translate").add("draw");
        assertRefused(Delegation.check(child(message), parent(10_000_000), POLICY),
                "scope_widens_parent", "mandate.skills");
    }

    @Test
    void noPerTaskCapUnderACappedParentWidensIt() {
        ObjectNode message = childMessage();
        message.put("perTaskMax", "0");
        assertRefused(Delegation.check(child(message), parent(10_000_000), POLICY),
                "scope_widens_parent", "mandate.perTaskMax");
    }

    @Test
    void outlivingTheParentIsRefused() {
        ObjectNode message = childMessage();
        message.put("expiresAt", 1798761601L);
        assertRefused(Delegation.check(child(message), parent(10_000_000), POLICY),
                "expiry_exceeds_parent", "mandate.expiresAt");
    }

    @Test
    void aChildMustBeSignedByTheParentsAgent() {
        ObjectNode message = childMessage();
        message.put("principal", ANVIL_0.address().checksummed());
        Mandate byRootPrincipal = accepted(verifier().verify(signed(message, ANVIL_0)));
        assertRefused(Delegation.check(byRootPrincipal, parent(10_000_000), POLICY),
                "signature_mismatch", "signature");
    }

    @Test
    void depthIsLimitedByPolicy() {
        Mandate child = child(childMessage());
        assertRefused(Delegation.check(child, new ParentFacts(root(), Amount.of(10_000_000),
                true, 3), POLICY), "depth_exceeded", "mandate.parent");
        assertRefused(Delegation.check(child, parent(10_000_000),
                new MandatePolicy(POLICY.asset(), 0)), "depth_exceeded", "mandate.parent");
    }

    @Test
    void anInactiveOrOtherParentIsRefused() {
        Mandate child = child(childMessage());
        assertRefused(Delegation.check(child, new ParentFacts(root(), Amount.of(10_000_000),
                false, 0), POLICY), "parent_not_active", "mandate.parent");
        ObjectNode otherParent = childMessage();
        otherParent.put("parent", "0x" + "11".repeat(32));
        assertRefused(Delegation.check(child(otherParent), parent(10_000_000), POLICY),
                "unknown_parent", "mandate.parent");
    }

    @Test
    void emptyListsMeanAnything() {
        assertTrue(Delegation.narrows(List.of("a"), List.of()));
        assertTrue(Delegation.narrows(List.of(), List.of()));
        assertFalse(Delegation.narrows(List.of(), List.of("a")));
        assertTrue(Delegation.narrows(List.of("a"), List.of("a", "b")));
    }
}
