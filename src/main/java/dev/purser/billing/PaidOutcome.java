package dev.purser.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.ledger.Receipt;
import dev.purser.x402.PaymentRefusal;
import java.util.List;
import java.util.Optional;

/** How a purchase through {@link PaidFlow} ended; the edge that sold it says it in its wire format. */
public sealed interface PaidOutcome {

    /**
     * Done and paid.
     *
     * @param settlement the facilitator's settle answer, or null when the envelope alone paid
     * @param receipt the ledger's signed receipt of the envelope draw, when one was drawn
     */
    record Completed(ObjectNode settlement, Optional<Receipt> receipt) implements PaidOutcome {
    }

    /**
     * Not done, or not paid: nothing was charged.
     *
     * @param receipts the facilitator's answers, when settlement was tried and refused
     */
    record Failed(PaymentRefusal refusal, List<ObjectNode> receipts) implements PaidOutcome {

        public Failed {
            receipts = List.copyOf(receipts);
        }

        Failed(PaymentRefusal refusal) {
            this(refusal, List.of());
        }
    }

    /** The settlement's outcome is unknown: the reservation stays until the reconciler knows. */
    record Pending(String reason) implements PaidOutcome {
    }

    /** The buyer canceled before the money moved: nothing was charged. */
    record Canceled() implements PaidOutcome {
    }

    /** The same payment is (or was) handled by another request: its answer is this one's. */
    record Repeat() implements PaidOutcome {
    }
}
