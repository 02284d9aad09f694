package dev.purser.task;

import dev.purser.a2a.spec.A2aError;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.ListTasksRequest;
import dev.purser.a2a.spec.ListTasksResult;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.SendMessageRequest;
import dev.purser.a2a.spec.PushConfig;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskQuery;
import dev.purser.a2a.spec.TaskState;
import dev.purser.a2a.spec.TaskStatus;
import dev.purser.auth.Caller;
import dev.purser.market.Skill;
import dev.purser.market.SkillCatalog;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The task lifecycle: send (new task or the next turn of an interrupted one), get, list, cancel.
 * Every task belongs to its caller; any other caller is told it does not exist.
 */
@ApplicationScoped
public class TaskService {

    /** Message metadata key naming the skill a message is for (DESIGN §3). */
    public static final String SKILL_KEY = "purser.skill";
    private static final Logger LOG = Logger.getLogger(TaskService.class);
    /** How long a repeated request waits for the turn it repeats to write its first change. */
    private static final java.time.Duration AS_STORED_WAIT = java.time.Duration.ofSeconds(10);

    private final TaskStore store;
    private final TaskList list;
    private final TaskEventBus bus;
    private final PushConfigService pushConfigs;
    private final SkillCatalog catalog;
    private final Map<String, AgentExecutor> executors = new HashMap<>();
    private final AgentExecutor everything; // the conformance executor, when configured
    private final Map<String, TaskRun> running = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final Clock clock = Clock.systemUTC();

    TaskService(TaskStore store, TaskList list, TaskEventBus bus, PushConfigService pushConfigs,
            SkillCatalog catalog, Instance<AgentExecutor> all) {
        this.store = store;
        this.list = list;
        this.bus = bus;
        this.pushConfigs = pushConfigs;
        this.catalog = catalog;
        AgentExecutor any = null;
        for (AgentExecutor e : all) {
            if (executors.putIfAbsent(e.skillId(), e) != null) {
                throw new IllegalStateException("two executors serve skill " + e.skillId());
            }
            if (e.answersEverything()) {
                any = e;
            }
        }
        this.everything = any;
        if (any != null) {
            LOG.warnf("conformance mode: executor %s answers every message", any.skillId());
        }
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        background.shutdown();
        background.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** {@code extensions}: the supported extension URIs the request activated. */
    public SendResult send(Caller caller, SendMessageRequest req, String wireVersion,
            Set<String> extensions) {
        Optional<StoredTask> repeat = repeated(caller, req.message());
        if (repeat.isPresent()) {
            return new SendResult.OfTask(repeat.get().task().view(req.historyLength(), true));
        }
        TaskRun run;
        try {
            run = start(caller, req, !req.blocking(), wireVersion, extensions);
        } catch (RepeatedTurn r) {
            return new SendResult.OfTask(r.task.view(req.historyLength(), true));
        }
        if (req.blocking()) {
            execute(run);
            if (run.answersAsStored()) {
                return new SendResult.OfTask(afterChange(caller, run.task().id(), run.version())
                        .view(req.historyLength(), true));
            }
        } else {
            run.flush();
            background.submit(() -> execute(run));
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
    public boolean resume(String taskId, java.util.function.Consumer<TaskContext> step) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<TaskStore.Owned> found = store.findAnyOwner(taskId);
            if (found.isEmpty() || found.get().stored().task().state().isTerminal()) {
                return false;
            }
            StoredTask st = found.get().stored();
            List<Message> history = st.task().history();
            Message last = history.isEmpty() ? null : history.get(history.size() - 1);
            TaskRun run = new TaskRun(store, bus, clock, found.get().owner(), null, st.task(),
                    st.version(), last, st.skill(), true, null, null);
            step.accept(run);
            if (run.flush()) {
                return true;
            }
        }
        return false;
    }

    /** A message that repeats a turn taken since it was first checked; carries the task. */
    private static final class RepeatedTurn extends RuntimeException {
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
    private Optional<StoredTask> repeated(Caller caller, Message m) {
        if (m.taskId() == null || m.role() != Role.USER) {
            return Optional.empty();
        }
        StoredTask st = load(caller, m.taskId());
        AgentExecutor e = executors.get(st.skill());
        return e != null && e.isRepeat(st.task(), m) ? Optional.of(st) : Optional.empty();
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
        if (repeated(caller, req.message()).isPresent()) {
            return resubscribe(caller, req.message().taskId(), req.historyLength());
        }
        TaskRun run;
        try {
            run = start(caller, req, true, wireVersion, extensions);
        } catch (RepeatedTurn r) {
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
        background.submit(() -> execute(run));
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

    private TaskRun start(Caller caller, SendMessageRequest req, boolean eager, String wireVersion,
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
                TaskRun run = running.get(id);
                if (run != null) {
                    run.markCanceled();
                }
                return canceled;
            }
            // Lost a race with the executor or another cancel: read again and decide again.
        }
    }

    private StoredTask load(Caller caller, String id) {
        return store.require(caller.owner(), id);
    }

    private TaskRun newTask(Caller caller, SendMessageRequest req, boolean eager,
            String wireVersion) {
        Message m = req.message();
        String skill = everything != null ? everything.skillId() : chooseSkill(m).id();
        String id = TaskIds.next();
        String contextId = m.contextId() != null ? m.contextId() : UUID.randomUUID().toString();
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
        StoredTask st = load(caller, m.taskId());
        Task t = st.task();
        if (m.contextId() != null && !m.contextId().equals(t.contextId())) {
            throw A2aFailure.invalidParams("message.contextId",
                    "does not match the task's contextId " + t.contextId());
        }
        AgentExecutor executor = executors.get(st.skill());
        if (!t.state().isInterrupted() && executor != null && executor.isRepeat(t, m)) {
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

    /**
     * The skill a new task is for: the one named in {@code purser.skill}, else the only skill that
     * takes all the message's parts' media types, else the first free skill.
     */
    private Skill chooseSkill(Message m) {
        String named = m.metadata() == null ? null
                : Optional.ofNullable(m.metadata().get(SKILL_KEY)).map(n -> n.asText()).orElse(null);
        if (named != null) {
            return catalog.find(named).filter(s -> executors.containsKey(s.id())).orElseThrow(() ->
                    A2aFailure.invalidParams("message.metadata." + SKILL_KEY,
                            "names no skill this agent serves: " + named));
        }
        List<Skill> served = catalog.all().stream().filter(s -> executors.containsKey(s.id())).toList();
        List<Skill> matching = served.stream().filter(s -> accepts(s, m)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        return served.stream().filter(s -> !s.isPaid()).findFirst().orElseThrow(() ->
                A2aFailure.invalidParams("message.metadata." + SKILL_KEY,
                        "is required: no single skill matches this message"));
    }

    private static boolean accepts(Skill s, Message m) {
        if (s.inputModes().isEmpty()) {
            return true;
        }
        return m.parts().stream().allMatch(p -> {
            String type = p.isText() ? "text/plain"
                    : p.mediaType() != null ? p.mediaType() : "application/octet-stream";
            return s.inputModes().contains(type) || s.inputModes().contains("*/*");
        });
    }

    private void execute(TaskRun run) {
        String id = run.task().id();
        running.put(id, run);
        try {
            executors.get(run.skill()).execute(run);
            if (!run.isCanceled() && !run.task().state().endsInteraction() && !run.continuesLaterSet()
                    && !run.answersAsStored()) {
                run.fail("The skill ended without an answer");
            }
        } catch (RuntimeException e) {
            String ref = UUID.randomUUID().toString();
            LOG.errorf(e, "executor for skill %s failed on task %s (ref %s)", run.skill(), id, ref);
            if (!run.isCanceled() && !run.task().state().isTerminal()) {
                run.fail("The skill failed (ref " + ref + ")");
            }
        } finally {
            running.remove(id);
            run.flush();
        }
    }
}
