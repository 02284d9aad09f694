package dev.purser.task;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs a turn's executor, in the caller's thread or in the background, and keeps the turns
 * running on this instance so that a cancel can tell one. A turn's executor must end it: one that
 * returns without an end state, or throws, fails the task (unless it was canceled meanwhile).
 */
final class TaskRunner {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);

    private final SkillExecutors executors;
    private final Map<String, TaskRun> running = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    TaskRunner(SkillExecutors executors) {
        this.executors = executors;
    }

    /** Runs the turn in the background; the caller answers without waiting for it. */
    void runLater(TaskRun run) {
        background.submit(() -> run(run));
    }

    /** Runs the turn in this thread and writes what it left unwritten. */
    void run(TaskRun run) {
        String id = run.task().id();
        running.put(id, run);
        try {
            executors.of(run.skill()).execute(run);
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

    /** Tells the turn of task {@code id} running here, if any, that the task was canceled. */
    void canceled(String id) {
        TaskRun run = running.get(id);
        if (run != null) {
            run.markCanceled();
        }
    }

    /** Lets background turns finish for a few seconds at shutdown. */
    void stop() throws InterruptedException {
        background.shutdown();
        background.awaitTermination(5, TimeUnit.SECONDS);
    }
}
