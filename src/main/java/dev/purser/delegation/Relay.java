package dev.purser.delegation;

import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.TaskState;
import dev.purser.task.TaskContext;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Relays one attempt's events from a provider into the buyer's task as they arrive: its working
 * statuses (as plain agent messages: the provider's payment metadata is between it and Purser) and
 * its artifacts. Terminal and input-required statuses are not relayed — how the buyer's task ends
 * is the paid flow's to say. Remembers the provider's task, and stops the attempt (by throwing
 * {@link BuyerCanceled}) once the buyer canceled.
 */
final class Relay implements Consumer<StreamEvent> {

    /** The buyer canceled the task while the provider worked on it. */
    static final class BuyerCanceled extends RuntimeException {
        BuyerCanceled() {
            super("the buyer canceled the task", null, false, false);
        }
    }

    private final TaskContext ctx;
    private volatile String remoteTaskId;
    private volatile String remoteContextId;

    Relay(TaskContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void accept(StreamEvent event) {
        if (ctx.isCanceled()) {
            throw new BuyerCanceled();
        }
        switch (event) {
            case StreamEvent.OfTask t -> remember(t.task().id(), t.task().contextId());
            case StreamEvent.OfMessage m -> {
                // a direct answer: it is the result, read by the attempt
            }
            case StreamEvent.StatusUpdate s -> {
                remember(s.taskId(), s.contextId());
                Message m = s.status().message();
                if (s.status().state() == TaskState.WORKING && m != null && m.metadata() == null) {
                    ctx.working(new Message(UUID.randomUUID().toString(), m.role(), m.parts(), null,
                            null, null, null, null));
                }
            }
            case StreamEvent.ArtifactUpdate a -> {
                remember(a.taskId(), a.contextId());
                ctx.addArtifact(a.artifact(), a.append(), a.lastChunk());
            }
        }
    }

    /** The provider's task id, once an event named it; else null. */
    String remoteTaskId() {
        return remoteTaskId;
    }

    String remoteContextId() {
        return remoteContextId;
    }

    private void remember(String taskId, String contextId) {
        if (remoteTaskId == null && taskId != null) {
            remoteTaskId = taskId;
            remoteContextId = contextId;
        }
    }
}
