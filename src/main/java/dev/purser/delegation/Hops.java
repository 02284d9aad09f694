package dev.purser.delegation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.purser.a2a.spec.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The Pursers a delegated task has come through ({@code purser.via}, message metadata: each
 * broker's {@code receiptSigner}, in order). Two brokers that list each other's services would
 * otherwise hand one task back and forth, each hop buying the next: a Purser that finds itself
 * in the list, or a list as long as {@code PURSER_DELEGATION_MAX_HOPS}, serves the task with its
 * own skill or not at all.
 */
record Hops(List<String> via) {

    /** Message metadata: the brokers a task came through, oldest first. */
    static final String KEY = "purser.via";

    /** More entries than any limit a server may set; a longer list is cut (it is refused anyway). */
    private static final int READ_MAX = 64;

    Hops {
        via = List.copyOf(via);
    }

    /** The list a buyer's message carries; none (or not a list of strings) is a first hop. */
    static Hops of(Message m) {
        JsonNode list = m.metadata() == null ? null : m.metadata().get(KEY);
        List<String> via = new ArrayList<>();
        if (list != null && list.isArray()) {
            for (JsonNode one : list) {
                if (one.isTextual() && via.size() < READ_MAX) {
                    via.add(one.textValue());
                }
            }
        }
        return new Hops(via);
    }

    /** Why this server may not delegate the task further, if it may not. */
    java.util.Optional<String> refusal(String self, int maxHops) {
        if (via.stream().anyMatch(self::equalsIgnoreCase)) {
            return java.util.Optional.of("delegation loop: the task came through this Purser ("
                    + self + ") already (" + KEY + "), so it is not delegated again");
        }
        if (via.size() >= maxHops) {
            return java.util.Optional.of("the task came through " + via.size() + " brokers ("
                    + KEY + "), the most PURSER_DELEGATION_MAX_HOPS (" + maxHops + ") allows;"
                    + " it is not delegated again");
        }
        return java.util.Optional.empty();
    }

    /** The list to send on: this one and {@code self}. */
    ArrayNode then(String self) {
        ArrayNode next = JsonNodeFactory.instance.arrayNode();
        via.forEach(next::add);
        return next.add(self);
    }
}
