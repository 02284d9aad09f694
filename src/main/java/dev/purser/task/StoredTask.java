package dev.purser.task;

import dev.purser.a2a.spec.Task;

/** A task as read from the store, with the version a write must name. */
record StoredTask(Task task, int version, String skill) {
}
