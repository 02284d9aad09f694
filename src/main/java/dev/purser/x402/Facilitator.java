package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
}
