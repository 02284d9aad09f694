package dev.purser.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a draw pays for, kept with the reservation for the report and for loop detection.
 *
 * @param skill the skill id, or null for a direct draw
 * @param provider who serves it ({@code local} or a provider id), or null
 * @param memo the caller's memo, or null
 * @param taskId the A2A task, or null
 */
public record DrawContext(String skill, String provider, String memo, String taskId) {

    public static final DrawContext NONE = new DrawContext(null, null, null, null);

    public static DrawContext direct(String memo) {
        return new DrawContext(null, null, memo, null);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        putIfSet(json, "skill", skill);
        putIfSet(json, "provider", provider);
        putIfSet(json, "memo", memo);
        putIfSet(json, "taskId", taskId);
        return json;
    }

    private static void putIfSet(ObjectNode json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
