package dev.purser.mandate;

/**
 * Why a mandate, revocation or draw was refused: a stable code for clients to branch on, the
 * HTTP status of DESIGN §8, the request field at fault (a dotted path such as
 * {@code mandate.budget} or {@code constraints[2].type}) and a message for people.
 *
 * @param reason the stable reason
 * @param field the field at fault; {@code ""} when the whole document is
 * @param message a human-readable explanation that names the field; never contains key material
 */
public record MandateRefusal(Reason reason, String field, String message) {

    public MandateRefusal {
        if (reason == null || field == null || message == null) {
            throw new IllegalArgumentException("reason, field and message are required");
        }
    }

    public static MandateRefusal of(Reason reason, String field, String message) {
        return new MandateRefusal(reason, field, message);
    }

    /** The wire code, e.g. {@code signature_mismatch}. */
    public String code() {
        return reason.code();
    }

    public int httpStatus() {
        return reason.httpStatus();
    }

    /**
     * The reasons, one row each: the code never changes once published, the status follows
     * DESIGN §8 (400 malformed, 422 well formed but refused).
     */
    public enum Reason {
        /** Not JSON, or not valid against its schema in {@code mandate-schemas/}. */
        INVALID("invalid", 400),
        /** The signature is valid but not by whom it must be (principal, parent's agent, agent). */
        SIGNATURE_MISMATCH("signature_mismatch", 422),
        /** Not the one canonical encoding: high-s, v not 27/28/0/1, r or s out of range. */
        SIGNATURE_MALFORMED("signature_malformed", 422),
        /** At or after its {@code expiresAt} (or a draw's deadline). */
        EXPIRED("expired", 422),
        /** Before its {@code notBefore}. */
        NOT_YET_VALID("not_yet_valid", 422),
        /** Not the settlement network's USDC (or, in AP2, a currency other than USD). */
        UNSUPPORTED_ASSET("unsupported_asset", 422),
        /** An AP2 constraint (or constraint member) Purser cannot evaluate: fails, per AP2. */
        UNKNOWN_CONSTRAINT("unknown_constraint", 422),
        /** A valid uint256 that Purser cannot count in a {@code long} of atomic units. */
        AMOUNT_OUT_OF_RANGE("amount_out_of_range", 422),
        /** {@code perTaskMax} is above {@code budget}: a cap that can never bind is a mistake. */
        PER_TASK_MAX_EXCEEDS_BUDGET("per_task_max_exceeds_budget", 422),
        /** A child's budget is more than its parent has left. */
        BUDGET_EXCEEDS_PARENT("budget_exceeds_parent", 422),
        /** A child allows a skill, payee or per-task amount its parent does not. */
        SCOPE_WIDENS_PARENT("scope_widens_parent", 422),
        /** A child outlives its parent. */
        EXPIRY_EXCEEDS_PARENT("expiry_exceeds_parent", 422),
        /** A child is in another asset than its parent. */
        ASSET_DIFFERS_FROM_PARENT("asset_differs_from_parent", 422),
        /** A child would be deeper than {@code purser.mandate.max-depth} below its root. */
        DEPTH_EXCEEDED("depth_exceeded", 422),
        /** A child names a parent that is revoked, expired or exhausted. */
        PARENT_NOT_ACTIVE("parent_not_active", 422),
        /** A child names a parent that was never registered. */
        UNKNOWN_PARENT("unknown_parent", 422);

        private final String code;

        private final int httpStatus;

        Reason(String code, int httpStatus) {
            this.code = code;
            this.httpStatus = httpStatus;
        }

        public String code() {
            return code;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }
}
