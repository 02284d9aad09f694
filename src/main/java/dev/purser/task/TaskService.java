package dev.purser.task;

import dev.purser.a2a.spec.A2aError;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.ListTasksRequest;
import dev.purser.a2a.spec.ListTasksResult;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.SendMessageRequest;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskQuery;
import dev.purser.a2a.spec.TaskState;
import dev.purser.a2a.spec.TaskStatus;
import dev.purser.auth.Caller;
import dev.purser.market.Marketplace;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The task lifecycle: send (new task or the next turn of an interrupted one), stream, subscribe,
 * get, list, cancel, and resume for background steps. Every task belongs to its caller; any other
 * caller is told it does not exist. Which turn a message starts is {@link TaskTurns}'s; running
 * it, {@link TaskRunner}'s; which skill serves it, {@link SkillExecutors}'.
 */
@ApplicationScoped
public class TaskService {

    /** Message metadata key naming the skill a message is for (DESIGN §3). */
    public static final String SKILL_KEY = "purser.skill";
    /** How long a repeated request waits for the turn it repeats to write its first change. */
    private static final Duration AS_STORED_WAIT = Duration.ofSeconds(10);

    private final TaskStore store;
    private final TaskList list;
    private final TaskEventBus bus;
    private final TaskTurns turns;
    private final TaskRunner runner;
    private final Clock clock = Clock.systemUTC();

    TaskService(TaskStore store, TaskList list, TaskEventBus bus, PushConfigService pushConfigs,
            Marketplace market, Instance<AgentExecutor> all) {
        this.store = store;
        this.list = list;
        this.bus = bus;
        SkillExecutors executors = new SkillExecutors(market, all);
        this.turns = new TaskTurns(store, bus, pushConfigs, executors, clock);
        this.runner = new TaskRunner(executors);
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        runner.stop();
    }

    /** {@code extensions}: the supported extension URIs the request activated. */
    public SendResult send(Caller caller, SendMessageRequest req, String wireVersion,
            Set<String> extensions) {
        Optional<StoredTask> repeat = turns.repeated(caller, req.message());
        if (repeat.isPresent()) {
            return new SendResult.OfTask(repeat.get().task().view(req.historyLength(), true));
        }
        TaskRun run;
        try {
            run = turns.start(caller, req, !req.blocking(), wireVersion, extensions);
        } catch (TaskTurns.RepeatedTurn r) {
            return new SendResult.OfTask(r.task.view(req.historyLength(), true));
        }
        if (req.blocking()) {
            runner.run(run);
            if (run.answersAsStored()) {
                return new SendResult.OfTask(afterChange(caller, run.task().id(), run.version())
                        .view(req.historyLength(), true));
            }
        } else {
            run.flush();
            runner.runLater(run);
        }
        Message reply = run.reply();
        if (reply != null) {
            return new SendResult.OfMessage(reply);
        }
        return new SendResult.OfTask(run.task().view(req.historyLength(), true));
    }

    /**
     * Moves a stored task on outside any client's turn (e.g. once a pending payment is
     * reconciled): {@code step} gets the task as stored and its changes are written at once. Does
     * nothing to a task that has ended. A write that loses to a concurrent one is retried on the
     * task as it then stands, a few times. True when the step ran and its changes were stored.
     */
    public boolean resume(String taskId, Consumer<TaskContext> step) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<TaskStore.Owned> found = store.findAnyOwner(taskId);
            if (found.isEmpty() || found.get().stored().task().state().isTerminal()) {
                return false;
            }
            TaskRun run = turns.background(found.get());
            step.accept(run);
            if (run.flush()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The task once its stored version has moved past {@code version} (another turn of the same
     * request is about to write it), or as it is after a bounded wait.
     */
    private Task afterChange(Caller caller, String id, int version) {
        long deadline = System.nanoTime() + AS_STORED_WAIT.toNanos();
        StoredTask st = load(caller, id);
        while (st.version() == version && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            st = load(caller, id);
        }
        return st.task();
    }

    /**
     * A streaming send: the subscription gets the task (or a direct message) first, then every
     * event of the turn. The turn runs in the background; closing the subscription leaves it be.
     */
    public TaskSubscription stream(Caller caller, SendMessageRequest req, String wireVersion,
            Set<String> extensions) {
        if (turns.repeated(caller, req.message()).isPresent()) {
            return resubscribe(caller, req.message().taskId(), req.historyLength());
        }
        TaskRun run;
        try {
            run = turns.start(caller, req, true, wireVersion, extensions);
        } catch (TaskTurns.RepeatedTurn r) {
            return resubscribe(caller, req.message().taskId(), req.historyLength());
        }
        String id = run.task().id();
        TaskSubscription sub = bus.subscribe(id);
        run.onReply(m -> sub.offer(new StreamEvent.OfMessage(m)));
        if (run.version() == 0) {
            bus.startAt(sub, 1); // event 1 is the task itself, written before its first change
        } else {
            sub.offer(new StreamEvent.OfTask(run.task().view(req.historyLength(), true)));
            bus.startAt(sub, run.version() + 1);
        }
        runner.runLater(run);
        return sub;
    }

    /**
     * Re-attaches to a task that has not ended: the task as it is now, then every later event.
     * A terminal task has no more events (-32004).
     */
    public TaskSubscription subscribe(Caller caller, String id) {
        requireOpen(load(caller, id).task());
        TaskSubscription sub = bus.subscribe(id);
        try {
            StoredTask st = load(caller, id); // read after subscribing: nothing falls in between
            sub.offer(new StreamEvent.OfTask(st.task()));
            bus.startAt(sub, st.version() + 1);
            return sub;
        } catch (RuntimeException e) {
            sub.close();
            throw e;
        }
    }

    /** The task as stored, then (unless it has ended) every later event. */
    private TaskSubscription resubscribe(Caller caller, String id, Integer historyLength) {
        TaskSubscription sub = bus.subscribe(id);
        try {
            StoredTask st = load(caller, id); // read after subscribing: nothing falls in between
            sub.offer(new StreamEvent.OfTask(st.task().view(historyLength, true)));
            if (!st.task().state().isTerminal()) {
                bus.startAt(sub, st.version() + 1);
            }
            return sub;
        } catch (RuntimeException e) {
            sub.close();
            throw e;
        }
    }

    /** Throws task-not-found when the caller may not see the task. */
    public Task require(Caller caller, String id) {
        return load(caller, id).task();
    }

    private static void requireOpen(Task t) {
        if (t.state().isTerminal()) {
            throw A2aFailure.of(A2aError.UNSUPPORTED_OPERATION, "Task " + t.id() + " is "
                    + t.state().v03() + "; it has no more events to subscribe to",
                    Map.of("taskId", t.id(), "state", t.state().v10()));
        }
    }

    public Task get(Caller caller, TaskQuery q) {
        return load(caller, q.id()).task().view(q.historyLength(), true);
    }

    public ListTasksResult list(Caller caller, ListTasksRequest q) {
        return list.page(caller.owner(), q);
    }

    /** Cancels a task that has not ended; a terminal one is not cancelable (-32002). */
    public Task cancel(Caller caller, String id) {
        while (true) {
            StoredTask st = load(caller, id);
            Task t = st.task();
            if (t.state().isTerminal()) {
                throw A2aFailure.of(A2aError.TASK_NOT_CANCELABLE,
                        "Task " + id + " is " + t.state().v03() + " and cannot be canceled",
                        Map.of("taskId", id, "state", t.state().v10()));
            }
            Task canceled = t.withStatus(new TaskStatus(TaskState.CANCELED, null, clock.instant()));
            List<StreamEvent> events = List.of(
                    new StreamEvent.StatusUpdate(t.id(), t.contextId(), canceled.status()));
            if (store.update(canceled, st.version(), events)) {
                bus.published(id, st.version() + 1, events);
                runner.canceled(id);
                return canceled;
            }
            // Lost a race with the executor or another cancel: read again and decide again.
        }
    }

    private StoredTask load(Caller caller, String id) {
        return store.require(caller.owner(), id);
    }
}
