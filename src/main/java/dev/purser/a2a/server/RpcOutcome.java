package dev.purser.a2a.server;

import dev.purser.a2a.spec.JsonOutput;
import dev.purser.task.TaskSubscription;

/** What a call answers: one JSON-RPC result, or a stream of them (SSE). */
sealed interface RpcOutcome {

    /** The result as it writes itself: a send's straight from the model, others from a tree. */
    record Result(JsonOutput.Writing result) implements RpcOutcome {
    }

    /**
     * Events of a task until it ends. A send's stream also ends at an interrupted state; a 1.0
     * subscription stays open until the task is terminal.
     */
    record Stream(TaskSubscription events, boolean endsAtInterruption) implements RpcOutcome {
    }

    /** An error that must travel as the first (and only) SSE event (0.3 resubscribe). */
    record StreamedError(RuntimeException failure) implements RpcOutcome {
    }
}
