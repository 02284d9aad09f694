package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The standard x402 facilitator API (x402.md §5), embedded or remote. */
public interface Facilitator {

    /** A VerifyResponse: {@code {isValid, invalidReason?, payer?}}. */
    ObjectNode verify(JsonNode paymentPayload, JsonNode paymentRequirements);

    SettleOutcome settle(JsonNode paymentPayload, JsonNode paymentRequirements);

    ObjectNode supported();
}
