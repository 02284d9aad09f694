package dev.purser.mandate;

import dev.purser.money.Amount;
import java.time.Instant;

/** The checks both forms share: the validity window and the per-task cap. */
final class Validity {

    private Validity() {
    }

    /** {@code notBefore <= now < expiresAt} (ap2.md §4 step 8), each side its own reason. */
    static void check(Instant notBefore, Instant expiresAt, Instant now, String notBeforeField,
            String expiresAtField) {
        if (!expiresAt.isAfter(notBefore)) {
            throw new Refuse(MandateRefusal.Reason.INVALID, expiresAtField,
                    expiresAtField + " " + expiresAt + " is not after " + notBeforeField + " "
                            + notBefore + ": the mandate could never be used");
        }
        if (!now.isBefore(expiresAt)) {
            throw new Refuse(MandateRefusal.Reason.EXPIRED, expiresAtField,
                    "the mandate expired at " + expiresAt + " (" + expiresAtField + ")");
        }
        if (now.isBefore(notBefore)) {
            throw new Refuse(MandateRefusal.Reason.NOT_YET_VALID, notBeforeField,
                    "the mandate is not valid before " + notBefore + " (" + notBeforeField
                            + ")");
        }
    }

    /** A per-task cap above the budget can never bind: almost surely a unit mistake. */
    static void checkCap(Amount budget, Amount perTaskMax, String field) {
        if (!perTaskMax.isAtMost(budget)) {
            throw new Refuse(MandateRefusal.Reason.PER_TASK_MAX_EXCEEDS_BUDGET, field,
                    field + " " + perTaskMax + " exceeds the budget " + budget
                            + " (both in atomic units; 0 means no per-task cap)");
        }
    }
}
