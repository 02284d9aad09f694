package dev.purser.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import java.util.List;

/**
 * What an envelope was spent on: captured draws by skill, by provider and by UTC day.
 *
 * @param terminatedBy {@code revoked}, {@code expired}, {@code exhausted}, or null while active
 */
public record SpendReport(Bytes32 mandateId, long budget, long spent, long reserved, long draws,
        List<Line> bySkill, List<Line> byProvider, List<Line> byDay, String terminatedBy) {

    public SpendReport {
        bySkill = List.copyOf(bySkill);
        byProvider = List.copyOf(byProvider);
        byDay = List.copyOf(byDay);
    }

    /** @param key the skill, provider or day ({@code direct}/{@code none} when unnamed) */
    public record Line(String key, long spent, long draws) {
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("mandateId", mandateId.hex());
        json.put("budget", Long.toString(budget));
        json.put("spent", Long.toString(spent));
        json.put("reserved", Long.toString(reserved));
        json.put("draws", draws);
        lines(json.putArray("bySkill"), "skill", bySkill);
        lines(json.putArray("byProvider"), "provider", byProvider);
        lines(json.putArray("byDay"), "day", byDay);
        if (terminatedBy == null) {
            json.putNull("terminatedBy");
        } else {
            json.put("terminatedBy", terminatedBy);
        }
        return json;
    }

    private static void lines(ArrayNode array, String name, List<Line> lines) {
        for (Line line : lines) {
            array.addObject().put(name, line.key()).put("spent", Long.toString(line.spent()))
                    .put("draws", line.draws());
        }
    }
}
