package dev.purser.x402;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a settlement attempt came to. {@link Unknown} is its own case: after a timeout the money
 * may or may not have moved, so it is neither released nor retried blindly, only reconciled.
 */
public sealed interface SettleOutcome {

    /** The facilitator's SettleResponse as received (the receipt a client gets). */
    record Settled(ObjectNode response) implements SettleOutcome {
    }

    record Failed(ObjectNode response, String reason) implements SettleOutcome {
    }

    record Unknown(String reason) implements SettleOutcome {
    }
}
