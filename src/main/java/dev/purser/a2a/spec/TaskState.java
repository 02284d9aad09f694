package dev.purser.a2a.spec;

import java.util.Optional;

/** Task states with their spelling in both wire versions and their category (spec §4.1, §5.1). */
public enum TaskState {
    SUBMITTED("submitted", "TASK_STATE_SUBMITTED", false, false),
    WORKING("working", "TASK_STATE_WORKING", false, false),
    INPUT_REQUIRED("input-required", "TASK_STATE_INPUT_REQUIRED", false, true),
    AUTH_REQUIRED("auth-required", "TASK_STATE_AUTH_REQUIRED", false, true),
    COMPLETED("completed", "TASK_STATE_COMPLETED", true, false),
    FAILED("failed", "TASK_STATE_FAILED", true, false),
    CANCELED("canceled", "TASK_STATE_CANCELED", true, false),
    REJECTED("rejected", "TASK_STATE_REJECTED", true, false);

    private final String v03;
    private final String v10;
    private final boolean terminal;
    private final boolean interrupted;

    TaskState(String v03, String v10, boolean terminal, boolean interrupted) {
        this.v03 = v03;
        this.v10 = v10;
        this.terminal = terminal;
        this.interrupted = interrupted;
    }

    public String v03() {
        return v03;
    }

    public String v10() {
        return v10;
    }

    public boolean isTerminal() {
        return terminal;
    }

    public boolean isInterrupted() {
        return interrupted;
    }

    /** Where a stream of one interaction ends: terminal or waiting for the client. */
    public boolean endsInteraction() {
        return terminal || interrupted;
    }

    /** A task never leaves a terminal state; anything else may move on (spec §5.1). */
    public boolean canMoveTo(TaskState next) {
        if (terminal) {
            return false;
        }
        return next != SUBMITTED || this == SUBMITTED;
    }

    public static Optional<TaskState> fromV03(String s) {
        for (TaskState t : values()) {
            if (t.v03.equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static Optional<TaskState> fromV10(String s) {
        for (TaskState t : values()) {
            if (t.v10.equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
