package dev.purser.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Jcs;
import dev.purser.crypto.Sha256;
import dev.purser.x402.PaymentPayload;
import dev.purser.x402.PaymentRequirement;

/**
 * An x402 payment offered for a purchase: the parsed payload, the JSON it came as (what the
 * facilitator is sent), the requirement it answers, its identity and its content hash (the same
 * payment sent again has the same hash).
 */
public record X402Payment(PaymentPayload payload, JsonNode payloadJson,
        PaymentRequirement requirement, JsonNode requirementJson, TaskPayments.Key key,
        String payloadHash) {

    /** {@code requirementJson} is the requirement as the payload's x402 version writes it. */
    public static X402Payment of(PaymentPayload payload, JsonNode payloadJson,
            PaymentRequirement requirement) {
        return new X402Payment(payload, payloadJson, requirement,
                requirement.toJson(payload.x402Version()),
                TaskPayments.Key.of(requirement.asset(), payload),
                Sha256.hash(Jcs.canonicalBytes(payloadJson)).hex());
    }
}
