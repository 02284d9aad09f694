package dev.purser.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.PushConfig;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.a2a.spec.TaskStatus;
import dev.purser.auth.Caller;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One turn of a task under an executor: holds the task as it changes, enforces the state
 * machine, and turns every change into an event (status or artifact update). Events are written
 * with the task in one transaction and then fanned out ({@link TaskEventBus}).
 *
 * <p>An eager run (streaming and background turns, which someone may be watching) writes at every
 * event; a blocking run writes once, at the end of the turn. A new task is first written as the
 * task itself (event 1), just before its first change, so its stream starts with the Task. A write
 * that loses its version race means someone canceled the task: the turn then stops.
 */
final class TaskRun implements TaskContext {

    private final TaskStore store;
    private final TaskEventBus bus;
    private final Clock clock;
    private final String owner;
    private final Caller caller;
    private final Message message;
    private final String skill;
    private final boolean eager;
    private final PushConfig push;
    private final String pushVersion;
    private final List<StreamEvent> pending = new ArrayList<>();
    private Task task;
    private int version; // 0 = not stored yet
    private Message reply;
    private Consumer<Message> onReply = m -> { };
    private volatile boolean canceled;
    private boolean continuesLater;
    private boolean asStored;
    private Set<String> extensions = Set.of();

    TaskRun(TaskStore store, TaskEventBus bus, Clock clock, Caller caller, Task task, int version,
            Message message, String skill, boolean eager, PushConfig push, String pushVersion) {
        this(store, bus, clock, caller.owner(), caller, task, version, message, skill, eager, push,
                pushVersion);
    }

    /** {@code caller} is null for a background step, which only updates a stored task. */
    TaskRun(TaskStore store, TaskEventBus bus, Clock clock, String owner, Caller caller, Task task,
            int version, Message message, String skill, boolean eager, PushConfig push,
            String pushVersion) {
        this.store = store;
        this.bus = bus;
        this.clock = clock;
        this.owner = owner;
        this.caller = caller;
        this.task = task;
        this.version = version;
        this.message = message;
        this.skill = skill;
        this.eager = eager;
        this.push = push;
        this.pushVersion = pushVersion;
    }

    /** The extensions the turn's request activated (none for a background step). */
    void activate(Set<String> uris) {
        extensions = Set.copyOf(uris);
    }

    @Override
    public Set<String> activatedExtensions() {
        return extensions;
    }

    @Override
    public synchronized Task task() {
        return task;
    }

    synchronized int version() {
        return version;
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

    /** The direct answer, when the executor gave one instead of a task. */
    synchronized Message reply() {
        return reply;
    }

    /** Who to tell about a direct answer (a streaming send). */
    synchronized void onReply(Consumer<Message> listener) {
        this.onReply = listener;
    }

    @Override
    public boolean isCanceled() {
        return canceled;
    }

    void markCanceled() {
        canceled = true;
    }

    @Override
    public synchronized boolean checkpoint() {
        requireOwnTurn();
        return flush();
    }

    @Override
    public synchronized void continuesLater() {
        requireOwnTurn();
        continuesLater = true;
    }

    @Override
    public synchronized void answerAsStored() {
        if (version == 0) {
            throw new IllegalStateException("a new task repeats nothing");
        }
        asStored = true;
        pending.clear();
    }

    /** The turn left the task working on purpose; it is not a skill that forgot to answer. */
    synchronized boolean continuesLaterSet() {
        return continuesLater;
    }

    /** The turn deferred to another one of the same request; its own task copy is not the answer. */
    synchronized boolean answersAsStored() {
        return asStored;
    }

    private void requireOwnTurn() {
        if (asStored) {
            throw new IllegalStateException("this turn answers as stored; it changes nothing");
        }
    }

    @Override
    public String skillId() {
        return skill;
    }

    @Override
    public synchronized void putMetadata(String key, JsonNode value) {
        requireOwnTurn();
        ObjectNode md = task.metadata() == null ? JsonNodeFactory.instance.objectNode()
                : task.metadata().deepCopy();
        md.set(key, value);
        task = task.withMetadata(md);
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
        storeFirst();
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
        emit(new StreamEvent.ArtifactUpdate(task.id(), task.contextId(), artifact, append,
                lastChunk));
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

    @Override
    public synchronized void respond(Message answer) {
        if (version != 0 || task.state() != TaskState.SUBMITTED || reply != null) {
            complete(answer);
            return;
        }
        reply = answer.inTask(null, task.contextId());
        onReply.accept(reply);
    }

    /** Stores what changed since the last write; false when the task was canceled meanwhile. */
    synchronized boolean flush() {
        if (canceled) {
            return false;
        }
        if (asStored) {
            return true; // the other turn of the same request writes; this one must not
        }
        if (reply != null) {
            return true; // a direct answer: no task exists
        }
        if (version == 0) {
            List<StreamEvent> first = List.of(new StreamEvent.OfTask(task));
            store.insert(owner, task, skill, first, push, pushVersion);
            version = 1;
            pending.clear(); // the task as stored already holds them
            bus.published(task.id(), 1, first);
            return true;
        }
        if (pending.isEmpty()) {
            return true;
        }
        List<StreamEvent> events = List.copyOf(pending);
        pending.clear();
        if (store.update(task, version, events)) {
            int firstSeq = version + 1;
            version += events.size();
            bus.published(task.id(), firstSeq, events);
            return true;
        }
        canceled = true; // only a cancel writes a running task behind our back
        return false;
    }

    /** In an eager run, a new task is stored as it is before its first change. */
    private void storeFirst() {
        if (eager && version == 0 && reply == null) {
            flush();
        }
    }

    private void emit(StreamEvent event) {
        requireOwnTurn();
        pending.add(event);
        if (eager) {
            flush();
        }
    }

    private void move(TaskState next, Message statusMessage) {
        requireActive();
        if (!task.state().canMoveTo(next)) {
            throw new IllegalStateException("task " + task.id() + " cannot move from "
                    + task.state() + " to " + next);
        }
        storeFirst();
        Message m = statusMessage == null ? null : statusMessage.inTask(task.id(), task.contextId());
        task = task.withStatus(new TaskStatus(next, m, clock.instant()));
        emit(new StreamEvent.StatusUpdate(task.id(), task.contextId(), task.status()));
    }

    private void requireActive() {
        if (task.state().isTerminal()) {
            throw new IllegalStateException("task " + task.id() + " has ended: " + task.state());
        }
    }

    Message agentText(String text) {
        return Message.agent(TaskIds.random(), List.of(Part.text(text)));
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
