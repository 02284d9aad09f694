package dev.purser.delegation;

import dev.purser.a2a.client.A2aCallException;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.client.AgentEndpoint;
import dev.purser.a2a.client.CallOptions;
import dev.purser.net.UrlGuard;
import dev.purser.task.TaskContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Forwards the buyer's cancel to the provider's task while an attempt runs (DESIGN §9): a watcher
 * notices the cancel even when the provider sends no event, and cancels the provider's task once
 * its id is known. Also used to end a provider's task the attempt gave up on (timeout, a payment
 * Purser would not make). At most one cancel is sent per attempt.
 */
final class CancelForwarder {

    private static final Logger LOG = Logger.getLogger(CancelForwarder.class);
    private static final long POLL_MILLIS = 200;

    private final Relay relay;
    private final A2aClient client;
    private final AgentEndpoint endpoint;
    private final CallOptions options;
    private final AtomicBoolean sent = new AtomicBoolean();
    private final Thread watcher;

    CancelForwarder(TaskContext ctx, Relay relay, A2aClient client, AgentEndpoint endpoint,
            CallOptions options) {
        this.relay = relay;
        this.client = client;
        this.endpoint = endpoint;
        this.options = options;
        this.watcher = Thread.ofVirtual().name("delegation-cancel").start(() -> {
            try {
                while (!ctx.isCanceled()) {
                    Thread.sleep(POLL_MILLIS);
                }
                while (relay.remoteTaskId() == null) {
                    Thread.sleep(POLL_MILLIS); // the provider's task is not known yet
                }
                cancelRemote();
            } catch (InterruptedException e) {
                // the attempt ended
            }
        });
    }

    /** Cancels the provider's task, if known and not canceled yet; failures are only logged. */
    void cancelRemote() {
        String id = relay.remoteTaskId();
        if (id == null || !sent.compareAndSet(false, true)) {
            return;
        }
        try {
            client.cancel(endpoint, id, options);
        } catch (A2aCallException e) {
            LOG.debugf("could not cancel task %s at %s: %s", id,
                    UrlGuard.forLog(endpoint.url().toString()), e.getMessage());
        }
    }

    void stop() {
        watcher.interrupt();
    }
}
