package dev.purser.mandate;

import java.util.List;

/**
 * The narrowing a child mandate owes its parent (DESIGN §4, §8): the parent's agent signs it, and
 * it may only take less — budget out of what the parent has left, a subset of its skills and
 * payees, a per-task cap no larger, an expiry no later, the same asset — and no deeper than the
 * policy allows. Pure: the parent's state is passed in by the caller, which holds it locked.
 */
public final class Delegation {

    private Delegation() {
    }

    /**
     * Checks {@code child} (already verified by {@link MandateVerifier}) against its parent.
     * Accepted returns the child unchanged; its depth is {@code parent.depth() + 1}.
     */
    public static MandateCheck check(Mandate child, ParentFacts parent, MandatePolicy policy) {
        Mandate p = parent.mandate();
        if (child.parent().isEmpty() || !child.parent().get().equals(p.id())) {
            return refuse(MandateRefusal.Reason.UNKNOWN_PARENT, "mandate.parent",
                    "mandate.parent does not name " + p.id());
        }
        if (!parent.active()) {
            return refuse(MandateRefusal.Reason.PARENT_NOT_ACTIVE, "mandate.parent",
                    "the parent " + p.id() + " is revoked, expired or exhausted");
        }
        if (parent.depth() + 1 > policy.maxDepth()) {
            return refuse(MandateRefusal.Reason.DEPTH_EXCEEDED, "mandate.parent",
                    "a child of " + p.id() + " would be at depth " + (parent.depth() + 1)
                            + "; the limit is " + policy.maxDepth());
        }
        // DESIGN §8: the child's principal is the parent's agent, and it signs the child; the
        // verifier already proved signer == principal.
        if (!child.principal().equals(p.agent())) {
            return refuse(MandateRefusal.Reason.SIGNATURE_MISMATCH, "signature",
                    "a child mandate must be signed by the parent's agent " + p.agent().id()
                            + ", not " + child.principal().id());
        }
        if (!child.asset().equals(p.asset())) {
            return refuse(MandateRefusal.Reason.ASSET_DIFFERS_FROM_PARENT, "mandate.asset",
                    "mandate.asset differs from the parent's " + p.asset().address());
        }
        if (!narrows(child.skills(), p.skills())) {
            return refuse(MandateRefusal.Reason.SCOPE_WIDENS_PARENT, "mandate.skills",
                    "mandate.skills " + describe(child.skills())
                            + " is not a subset of the parent's " + describe(p.skills()));
        }
        if (!narrows(child.allowedPayees(), p.allowedPayees())) {
            return refuse(MandateRefusal.Reason.SCOPE_WIDENS_PARENT, "allowedPayees",
                    "the child's payees " + describe(child.allowedPayees())
                            + " are not a subset of the parent's " + describe(p.allowedPayees()));
        }
        if (!narrows(child.allowedInstruments(), p.allowedInstruments())) {
            return refuse(MandateRefusal.Reason.SCOPE_WIDENS_PARENT, "allowedInstruments",
                    "the child's payment instruments " + describe(child.allowedInstruments())
                            + " are not a subset of the parent's "
                            + describe(p.allowedInstruments()));
        }
        boolean parentCapped = !p.perTaskMax().isZero();
        if (parentCapped && (child.perTaskMax().isZero()
                || !child.perTaskMax().isAtMost(p.perTaskMax()))) {
            return refuse(MandateRefusal.Reason.SCOPE_WIDENS_PARENT, "mandate.perTaskMax",
                    "mandate.perTaskMax " + child.perTaskMax() + " (0 = no cap) exceeds the "
                            + "parent's " + p.perTaskMax());
        }
        if (p.recurrence().isPresent() && !child.recurrence().equals(p.recurrence())) {
            // A child of a periodic parent draws from one period's budget at a time; a different
            // period could not be carved out of it coherently.
            return refuse(MandateRefusal.Reason.SCOPE_WIDENS_PARENT, "recurrence",
                    "the child's recurrence must be the parent's");
        }
        if (child.expiresAt().isAfter(p.expiresAt())) {
            return refuse(MandateRefusal.Reason.EXPIRY_EXCEEDS_PARENT, "mandate.expiresAt",
                    "mandate.expiresAt " + child.expiresAt() + " is after the parent's "
                            + p.expiresAt());
        }
        if (!child.budget().isAtMost(parent.remaining())) {
            return refuse(MandateRefusal.Reason.BUDGET_EXCEEDS_PARENT, "mandate.budget",
                    "mandate.budget " + child.budget() + " exceeds what the parent has left, "
                            + parent.remaining());
        }
        return new MandateCheck.Accepted(child);
    }

    /**
     * Whether {@code child} allows no more than {@code parent}, where an empty list allows
     * anything: so a child with [] under a parent with a list widens it.
     */
    static boolean narrows(List<String> child, List<String> parent) {
        if (parent.isEmpty()) {
            return true;
        }
        return !child.isEmpty() && parent.containsAll(child);
    }

    private static String describe(List<String> values) {
        return values.isEmpty() ? "[] (any)" : values.toString();
    }

    private static MandateCheck refuse(MandateRefusal.Reason reason, String field,
            String message) {
        return MandateCheck.refuse(reason, field, message);
    }
}
