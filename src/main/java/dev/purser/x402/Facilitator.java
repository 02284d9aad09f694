package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;

/** The standard x402 facilitator API (x402.md §5), embedded or remote. */
public interface Facilitator {

    /** A VerifyResponse: {@code {isValid, invalidReason?, payer?}}. */
    ObjectNode verify(JsonNode paymentPayload, JsonNode paymentRequirements);

    SettleOutcome settle(JsonNode paymentPayload, JsonNode paymentRequirements);

    /**
     * What became of an authorization whose settle answered {@link SettleOutcome.Unknown}, looked
     * up by its nonce: {@code Settled} when the money is known to have moved, {@code Failed} only
     * when it is known that it did not and will not, else {@code Unknown}. This default asks to
     * settle again — an EIP-3009 nonce can move money once, so that never pays twice — and
     * trusts only a success: a failure may just say that the first attempt used the nonce.
     */
    default SettleOutcome reconcile(JsonNode paymentPayload, JsonNode paymentRequirements) {
        return switch (settle(paymentPayload, paymentRequirements)) {
            case SettleOutcome.Settled s -> s;
            case SettleOutcome.Failed f -> new SettleOutcome.Unknown("settling again failed ("
                    + f.reason() + "), which does not tell whether the first attempt paid");
            case SettleOutcome.Unknown u -> u;
        };
    }

    ObjectNode supported();

    /**
     * {@link #verify} of a payment this process checked: the embedded facilitator does not
     * recover its signer again; a remote one is asked as always.
     */
    default ObjectNode verify(CheckedPayment p) {
        return verify(p.payloadJson(), p.requirementJson());
    }

    /** {@link #settle} of a payment this process checked, as {@link #verify(CheckedPayment)}. */
    default SettleOutcome settle(CheckedPayment p) {
        return settle(p.payloadJson(), p.requirementJson());
    }

    /**
     * True when settling is only a row in Purser's own database (the embedded facilitator with no
     * chain node): then {@link #settle(Connection, CheckedPayment)} settles inside the caller's
     * transaction, so the caller's own record of it commits with it, or neither does.
     */
    default boolean settlesInDatabase() {
        return false;
    }

    /** {@link #settle(CheckedPayment)} on {@code c}, in its transaction. */
    default SettleOutcome settle(Connection c, CheckedPayment p) throws SQLException {
        throw new UnsupportedOperationException("this facilitator settles elsewhere");
    }
}
