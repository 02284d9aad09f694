package dev.purser.a2a.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.task.TaskSubscription;

/** What a call answers: one JSON-RPC result, or a stream of them (SSE). */
sealed interface RpcOutcome {

    record Result(JsonNode result) implements RpcOutcome {
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
