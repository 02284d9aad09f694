package dev.purser.a2a.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** A unit of work: status, the conversation so far and the outputs. */
public record Task(String id, String contextId, TaskStatus status, List<Message> history,
        List<Artifact> artifacts, ObjectNode metadata) {

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(status, "status");
        history = history == null ? List.of() : List.copyOf(history);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    public TaskState state() {
        return status.state();
    }

    public Task withStatus(TaskStatus s) {
        return new Task(id, contextId, s, history, artifacts, metadata);
    }

    public Task withHistory(List<Message> h) {
        return new Task(id, contextId, status, h, artifacts, metadata);
    }

    public Task withArtifacts(List<Artifact> a) {
        return new Task(id, contextId, status, history, a, metadata);
    }

    public Task withMetadata(ObjectNode m) {
        return new Task(id, contextId, status, history, artifacts, m);
    }

    /** The view a reader asked for: the last {@code historyLength} messages, artifacts or not. */
    public Task view(Integer historyLength, boolean includeArtifacts) {
        List<Message> h = history;
        if (historyLength != null && historyLength < h.size()) {
            h = h.subList(h.size() - historyLength, h.size());
        }
        return new Task(id, contextId, status, h, includeArtifacts ? artifacts : List.of(), metadata);
    }
}
