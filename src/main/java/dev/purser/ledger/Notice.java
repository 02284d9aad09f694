package dev.purser.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import java.time.Instant;

/**
 * A soft-limit notice: the envelope's spend in its current period reached {@code threshold}
 * percent of its budget. Recorded once per envelope, period and threshold, in the capture that
 * crossed it; delivered to the principal's webhook from an outbox (at least once: a receiver
 * deduplicates by {@code id}).
 *
 * @param periodStart the period's start, null for a one-off budget
 * @param taskId the task whose draw crossed the threshold, if any (its push configs hear of it)
 * @param webhook where it goes: the envelope's webhook or {@code PURSER_LEDGER_WEBHOOK}; null =
 *     nowhere
 * @param attempts deliveries tried so far, this one included
 */
public record Notice(long id, Bytes32 mandateId, Address principal, Address agent,
        Address asset, int threshold, long budget, long spent, Instant periodStart,
        String taskId, String webhook, int attempts, boolean pushed, Instant at) {

    /** The webhook body. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", "purser.soft_limit");
        json.put("id", Long.toString(id));
        json.put("mandateId", mandateId.hex());
        json.put("principal", principal.checksummed());
        json.put("agent", agent.checksummed());
        json.put("asset", asset.checksummed());
        json.put("threshold", threshold);
        json.put("budget", Long.toString(budget));
        json.put("spent", Long.toString(spent));
        json.put("periodStart", periodStart == null ? 0 : periodStart.getEpochSecond());
        json.put("at", at.getEpochSecond());
        return json;
    }

    /** One line for people: what the principal should know. */
    public String text() {
        return "Spending mandate " + mandateId.hex() + " has spent " + spent + " of its budget of "
                + budget + " (" + threshold + " % soft limit reached"
                + (periodStart == null ? "" : " this period") + ").";
    }
}
