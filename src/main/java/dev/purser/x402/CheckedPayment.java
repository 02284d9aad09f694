package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A payment this process has just checked itself ({@link Eip3009Verifier#verify} found it
 * {@code valid} against {@code offer}), with the JSON a facilitator is sent and the payload's
 * content hash (SHA-256 of its RFC 8785 form). A facilitator in the same process may trust the
 * recovered signer instead of recovering it again; a remote one is sent the JSON as always.
 */
public record CheckedPayment(PaymentPayload payload, JsonNode payloadJson, PaymentRequirement offer,
        JsonNode requirementJson, Eip3009Verifier.Valid valid, String payloadHash) {
}
