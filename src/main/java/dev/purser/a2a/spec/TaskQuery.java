package dev.purser.a2a.spec;

/** GetTask / tasks/get, and the id-only requests (cancel, subscribe). */
public record TaskQuery(String id, Integer historyLength) {
}
