package dev.purser.task;

/**
 * Does a skill's work for one turn of a task: reads the task and the new message from the
 * context, and moves the task on through it (artifacts, then a terminal or interrupted state).
 * Returning without an end state fails the task: an executor must say how it ended.
 */
public interface AgentExecutor {

    /** The skill id this executor serves. */
    String skillId();

    void execute(TaskContext context);

    /**
     * True when this executor does the turns of tasks for {@code skillId}: by default its own
     * skill only. The delegating executor also serves every service a remote provider offers.
     */
    default boolean serves(String skillId) {
        return skillId().equals(skillId);
    }

    /** True for an executor that {@link #serves} skills besides its own; it is asked first. */
    default boolean servesOthers() {
        return false;
    }

    /**
     * True for an executor that answers every message whatever its skill (the conformance
     * executor, present only when {@code PURSER_CONFORMANCE=true}); skill routing is then off.
     */
    default boolean answersEverything() {
        return false;
    }

    /**
     * True when {@code message}, sent to the existing {@code task}, repeats a turn this executor
     * already took on it (the same x402 payment submitted again): the sender then gets the task
     * as it stands, whatever its state, and no new turn runs.
     */
    default boolean isRepeat(dev.purser.a2a.spec.Task task, dev.purser.a2a.spec.Message message) {
        return false;
    }
}
