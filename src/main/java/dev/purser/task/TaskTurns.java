package dev.purser.task;

import dev.purser.a2a.spec.A2aError;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.PushConfig;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.SendMessageRequest;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.a2a.spec.TaskStatus;
import dev.purser.auth.Caller;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Starts turns: a user's message opens a new task or takes the next turn of an interrupted one
 * (its own task, in its context), or repeats a turn already taken, which starts nothing. A
 * background step outside any client's turn gets a turn of its own on the task as stored.
 */
final class TaskTurns {

    private final TaskStore store;
    private final TaskEventBus bus;
    private final PushConfigService pushConfigs;
    private final SkillExecutors executors;
    private final Clock clock;

    TaskTurns(TaskStore store, TaskEventBus bus, PushConfigService pushConfigs,
            SkillExecutors executors, Clock clock) {
        this.store = store;
        this.bus = bus;
        this.pushConfigs = pushConfigs;
        this.executors = executors;
        this.clock = clock;
    }

    /** A message that repeats a turn taken since it was first checked; carries the task. */
    static final class RepeatedTurn extends RuntimeException {
        final Task task;

        RepeatedTurn(Task task) {
            super(null, null, false, false);
            this.task = task;
        }
    }

    /**
     * The stored task when {@code m} repeats a turn already taken on it (the same payment sent
     * again): its executor says so, and the answer is the task as it stands, no new turn.
     */
    Optional<StoredTask> repeated(Caller caller, Message m) {
        if (m.taskId() == null || m.role() != Role.USER) {
            return Optional.empty();
        }
        StoredTask st = store.require(caller.owner(), m.taskId());
        return executors.repeats(st.skill(), st.task(), m) ? Optional.of(st) : Optional.empty();
    }

    /** The turn {@code req} starts; {@link RepeatedTurn} when it repeats one taken meanwhile. */
    TaskRun start(Caller caller, SendMessageRequest req, boolean eager, String wireVersion,
            Set<String> extensions) {
        Message m = req.message();
        if (m.role() != Role.USER) {
            throw A2aFailure.invalidParams("message.role", "must be the user's");
        }
        TaskRun run = m.taskId() == null ? newTask(caller, req, eager, wireVersion)
                : nextTurn(caller, req, eager, wireVersion);
        run.activate(extensions);
        return run;
    }

    /** A background step's turn on {@code found} as stored, its last message the turn's. */
    TaskRun background(TaskStore.Owned found) {
        StoredTask st = found.stored();
        List<Message> history = st.task().history();
        Message last = history.isEmpty() ? null : history.get(history.size() - 1);
        return new TaskRun(store, bus, clock, found.owner(), null, st.task(), st.version(), last,
                st.skill(), true, null, null);
    }

    private TaskRun newTask(Caller caller, SendMessageRequest req, boolean eager,
            String wireVersion) {
        Message m = req.message();
        String skill = executors.skillFor(m);
        String id = TaskIds.next();
        String contextId = m.contextId() != null ? m.contextId() : TaskIds.random();
        Message first = m.inTask(id, contextId);
        Task task = new Task(id, contextId, new TaskStatus(TaskState.SUBMITTED, null, clock.instant()),
                List.of(first), List.of(), null);
        PushConfig push = req.pushConfig() == null ? null : pushConfigs.checked(
                req.pushConfig().withIds(PushConfigService.idFor(req.pushConfig(), id, wireVersion), id));
        return new TaskRun(store, bus, clock, caller, task, 0, first, skill, eager, push,
                wireVersion);
    }

    private TaskRun nextTurn(Caller caller, SendMessageRequest req, boolean eager,
            String wireVersion) {
        Message m = req.message();
        StoredTask st = store.require(caller.owner(), m.taskId());
        Task t = st.task();
        if (m.contextId() != null && !m.contextId().equals(t.contextId())) {
            throw A2aFailure.invalidParams("message.contextId",
                    "does not match the task's contextId " + t.contextId());
        }
        if (!t.state().isInterrupted() && executors.repeats(st.skill(), t, m)) {
            // The same turn, taken by a concurrent request since send() looked: its answer.
            throw new RepeatedTurn(t);
        }
        if (t.state().isTerminal()) {
            throw A2aFailure.of(A2aError.UNSUPPORTED_OPERATION, "Task " + t.id() + " is "
                    + t.state().v03() + "; it takes no more messages",
                    Map.of("taskId", t.id(), "state", t.state().v10()));
        }
        if (!t.state().isInterrupted()) {
            throw A2aFailure.of(A2aError.UNSUPPORTED_OPERATION, "Task " + t.id()
                    + " is still " + t.state().v03() + "; send again when it asks for input",
                    Map.of("taskId", t.id(), "state", t.state().v10()));
        }
        Message next = m.inTask(t.id(), t.contextId());
        List<Message> history = new ArrayList<>(t.history());
        history.add(next);
        if (req.pushConfig() != null) {
            pushConfigs.put(caller, req.pushConfig().withIds(
                    PushConfigService.idFor(req.pushConfig(), t.id(), wireVersion), t.id()), wireVersion);
        }
        return new TaskRun(store, bus, clock, caller, t.withHistory(history), st.version(), next,
                st.skill(), eager, null, null);
    }
}
