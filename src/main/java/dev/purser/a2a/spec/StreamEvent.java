package dev.purser.a2a.spec;

import java.util.Objects;

/**
 * One event of a task's stream (spec §6): the task itself, a direct message, a status change or an
 * artifact (chunk). 1.0 wraps each in a StreamResponse; 0.3 tells them apart by {@code kind}.
 */
public sealed interface StreamEvent {

    /** The task the event is about; null only for a direct message outside any task. */
    String taskId();

    /** The task as it is now: the first event of every stream about a task. */
    record OfTask(Task task) implements StreamEvent {
        public OfTask {
            Objects.requireNonNull(task, "task");
        }

        @Override
        public String taskId() {
            return task.id();
        }
    }

    /** A direct answer instead of a task; the only event of its stream. */
    record OfMessage(Message message) implements StreamEvent {
        public OfMessage {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String taskId() {
            return message.taskId();
        }
    }

    record StatusUpdate(String taskId, String contextId, TaskStatus status) implements StreamEvent {
        public StatusUpdate {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(contextId, "contextId");
            Objects.requireNonNull(status, "status");
        }
    }

    record ArtifactUpdate(String taskId, String contextId, Artifact artifact, boolean append,
            boolean lastChunk) implements StreamEvent {
        public ArtifactUpdate {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(contextId, "contextId");
            Objects.requireNonNull(artifact, "artifact");
        }
    }

    /** The task state this event leaves the task in, if it says. */
    default TaskState state() {
        return switch (this) {
            case OfTask t -> t.task().state();
            case StatusUpdate s -> s.status().state();
            case OfMessage m -> null;
            case ArtifactUpdate a -> null;
        };
    }
}
