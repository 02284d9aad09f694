package dev.purser.billing;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

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

    /**
     * The work is done (its output is already with the buyer's task or answer).
     *
     * @param charge what to capture when it is less than the quoted price (a metered call's
     *     usage); empty = the quoted price. Never more than the quote is captured.
     * @param servedBy who finally did it (the offer's provider after a failover), for the
     *     envelope's report; empty = as the purchase named it
     */
    record Done(OptionalLong charge, Optional<String> servedBy) implements Result {

        public Done {
            Objects.requireNonNull(charge, "charge");
            Objects.requireNonNull(servedBy, "servedBy");
        }

        /** Done at the quoted price, by whom the purchase named. */
        public Done() {
            this(OptionalLong.empty(), Optional.empty());
        }

        /** Done by {@code servedBy}, charged {@code charge} (at most the quote). */
        public static Done metered(long charge, String servedBy) {
            return new Done(OptionalLong.of(charge), Optional.of(servedBy));
        }
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
