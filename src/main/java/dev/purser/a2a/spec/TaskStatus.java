package dev.purser.a2a.spec;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** A task's state at a moment, with an optional agent message. Millisecond precision on the wire. */
public record TaskStatus(TaskState state, Message message, Instant timestamp) {

    public TaskStatus {
        Objects.requireNonNull(state, "state");
        timestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.MILLIS);
    }
}
