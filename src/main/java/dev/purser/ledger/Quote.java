package dev.purser.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;

/**
 * A pre-flight answer: would a draw of {@code amount} be admitted now? It reserves nothing, so
 * the answer is advice; the reservation itself decides. Per-agent rate, concurrency and loop
 * guards are not evaluated (they depend on the moment of the request).
 *
 * @param refusal why not, or null when it would be admitted
 */
public record Quote(Bytes32 mandateId, long amount, long remaining, Refusal refusal) {

    public boolean admissible() {
        return refusal == null;
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("mandateId", mandateId.hex());
        json.put("amount", Long.toString(amount));
        json.put("remaining", Long.toString(remaining));
        json.put("admissible", admissible());
        if (refusal == null) {
            json.putNull("error");
        } else {
            json.put("error", refusal.code());
        }
        return json;
    }
}
