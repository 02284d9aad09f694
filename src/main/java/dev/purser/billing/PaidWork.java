package dev.purser.billing;

/**
 * Step 4 of the paid flow: the work a purchase pays for, supplied by whoever sells it — a local
 * skill, a remote provider, an upstream model. The flow runs it once the payment is verified and
 * settles only when it answers {@link Done}.
 */
@FunctionalInterface
public interface PaidWork {

    Result perform();

    sealed interface Result {
    }

    /** The work is done (its output is already with the buyer's task or answer). */
    record Done() implements Result {
    }

    /**
     * The work failed: nothing will be charged.
     *
     * @param reason a machine code, e.g. {@code work_failed}
     * @param detail what the buyer is told
     */
    record Failed(String reason, String detail) implements Result {
    }
}
