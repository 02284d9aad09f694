package dev.purser.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.a2a.spec.TaskStatus;
import dev.purser.auth.Caller;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One turn of a task under an executor: holds the task as it changes, enforces the state
 * machine, and writes it to the store at the end of the turn (or earlier, on {@link #flush()}).
 * A write that loses its version race means someone canceled the task: the turn then stops.
 */
final class TaskRun implements TaskContext {

    private final TaskStore store;
    private final Clock clock;
    private final String owner;
    private final Caller caller;
    private final Message message;
    private final String skill;
    private Task task;
    private int version; // 0 = not stored yet
    private volatile boolean canceled;

    TaskRun(TaskStore store, Clock clock, Caller caller, Task task, int version, Message message,
            String skill) {
        this.store = store;
        this.clock = clock;
        this.owner = caller.owner();
        this.caller = caller;
        this.task = task;
        this.version = version;
        this.message = message;
        this.skill = skill;
    }

    @Override
    public synchronized Task task() {
        return task;
    }

    @Override
    public Message message() {
        return message;
    }

    @Override
    public Caller caller() {
        return caller;
    }

    String skill() {
        return skill;
    }

    @Override
    public boolean isCanceled() {
        return canceled;
    }

    void markCanceled() {
        canceled = true;
    }

    @Override
    public synchronized void working() {
        move(TaskState.WORKING, null);
    }

    @Override
    public synchronized void working(Message statusMessage) {
        move(TaskState.WORKING, statusMessage);
    }

    @Override
    public synchronized void addArtifact(Artifact artifact, boolean append, boolean lastChunk) {
        requireActive();
        List<Artifact> artifacts = new ArrayList<>(task.artifacts());
        int at = indexOf(artifacts, artifact.artifactId());
        if (append && at >= 0) {
            artifacts.set(at, artifacts.get(at).withMoreParts(artifact.parts()));
        } else if (at >= 0) {
            artifacts.set(at, artifact);
        } else {
            artifacts.add(artifact);
        }
        task = task.withArtifacts(artifacts);
    }

    @Override
    public synchronized void complete(Message statusMessage) {
        move(TaskState.COMPLETED, statusMessage);
    }

    @Override
    public synchronized void fail(String reason) {
        move(TaskState.FAILED, agentText(reason));
    }

    @Override
    public synchronized void fail(Message statusMessage) {
        move(TaskState.FAILED, statusMessage);
    }

    @Override
    public synchronized void reject(String reason) {
        move(TaskState.REJECTED, agentText(reason));
    }

    @Override
    public synchronized void requireInput(Message statusMessage, ObjectNode taskMetadata) {
        if (taskMetadata != null) {
            task = task.withMetadata(taskMetadata);
        }
        move(TaskState.INPUT_REQUIRED, statusMessage);
    }

    /** Stores the task as it is now; false when the task was canceled meanwhile. */
    synchronized boolean flush() {
        if (canceled) {
            return false;
        }
        if (version == 0) {
            store.insert(owner, task, skill);
            version = 1;
            return true;
        }
        if (store.update(task, version)) {
            version++;
            return true;
        }
        canceled = true; // only a cancel writes a running task behind our back
        return false;
    }

    private void move(TaskState next, Message statusMessage) {
        requireActive();
        if (!task.state().canMoveTo(next)) {
            throw new IllegalStateException("task " + task.id() + " cannot move from "
                    + task.state() + " to " + next);
        }
        Message m = statusMessage == null ? null : statusMessage.inTask(task.id(), task.contextId());
        task = task.withStatus(new TaskStatus(next, m, clock.instant()));
    }

    private void requireActive() {
        if (task.state().isTerminal()) {
            throw new IllegalStateException("task " + task.id() + " has ended: " + task.state());
        }
    }

    Message agentText(String text) {
        return Message.agent(UUID.randomUUID().toString(), List.of(Part.text(text)));
    }

    private static int indexOf(List<Artifact> artifacts, String id) {
        for (int i = 0; i < artifacts.size(); i++) {
            if (artifacts.get(i).artifactId().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
