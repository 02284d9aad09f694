package dev.purser.a2a.spec;

/** Get/delete/list of push configs: the task and, except for list, the config id (may be null). */
public record PushConfigQuery(String taskId, String configId) {
}
