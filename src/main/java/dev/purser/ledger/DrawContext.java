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
 * @param reconciler who resolves the draw after a crash, or null for the flow's usual rules: a
 *     named reconciler's reservation is settlement-unknown from the start (V14), so the sweeper
 *     leaves it to that reconciler, whose record of it follows the reservation in the ledger's
 *     own transactions
 */
public record DrawContext(String skill, String provider, String memo, String taskId,
        String reconciler) {

    public static final DrawContext NONE = new DrawContext(null, null, null, null);

    /** A draw the paid flow's usual rules resolve (no reconciler of its own). */
    public DrawContext(String skill, String provider, String memo, String taskId) {
        this(skill, provider, memo, taskId, null);
    }

    public static DrawContext direct(String memo) {
        return new DrawContext(null, null, memo, null);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        putIfSet(json, "skill", skill);
        putIfSet(json, "provider", provider);
        putIfSet(json, "memo", memo);
        putIfSet(json, "taskId", taskId);
        putIfSet(json, "reconciler", reconciler);
        return json;
    }

    private static void putIfSet(ObjectNode json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
