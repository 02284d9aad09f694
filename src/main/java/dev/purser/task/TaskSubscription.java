package dev.purser.task;

import dev.purser.a2a.spec.StreamEvent;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One subscriber's view of a task's events: every event from its starting point on, in order,
 * each exactly once. The reader polls; {@link #close()} detaches it (and must always be called).
 */
public final class TaskSubscription implements AutoCloseable {

    /** A reader slower than this many undelivered events is cut off rather than buffered forever. */
    static final int MAX_BACKLOG = 10_000;

    private final TaskEventBus bus;
    private final String taskId;
    private final LinkedBlockingQueue<StreamEvent> queue = new LinkedBlockingQueue<>();
    /** The seq this subscriber needs next; 0 while it is not positioned yet. Guarded by the topic. */
    int next;
    private volatile boolean closed;
    private volatile boolean overflowed;

    TaskSubscription(TaskEventBus bus, String taskId) {
        this.bus = bus;
        this.taskId = taskId;
    }

    public String taskId() {
        return taskId;
    }

    /** The next event, or null when none arrived within the timeout. */
    public StreamEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    /** True when the reader fell too far behind and events were dropped: it must stop. */
    public boolean overflowed() {
        return overflowed;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Hands an event to this reader (called by the bus, in order). */
    void offer(StreamEvent event) {
        if (closed) {
            return;
        }
        if (queue.size() >= MAX_BACKLOG) {
            overflowed = true;
            return;
        }
        queue.add(event);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bus.unsubscribe(this);
        }
    }
}
