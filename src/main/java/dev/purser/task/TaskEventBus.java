package dev.purser.task;

import dev.purser.a2a.spec.StreamEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Per-task ordered fan-out of task events to the subscribers on this instance.
 *
 * <p>Every event has a per-task sequence number (its {@code seq} in {@code task_event}, equal to
 * the task's version after the write that stored it). Events reach a topic two ways: directly from
 * the writer on this instance after its commit ({@link #published}), or as a NOTIFY from another
 * instance ({@link #notified}), which the topic answers by reading the missing events from the
 * database. Each subscriber has a cursor (the seq it needs next) and gets every event from there
 * on, exactly once and in order, whichever way and in whatever order the events arrived; a gap is
 * filled from the database. Topics exist only while they have subscribers.
 */
@ApplicationScoped
public class TaskEventBus {

    private static final Logger LOG = Logger.getLogger(TaskEventBus.class);

    private final TaskEventLog eventLog;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final AtomicInteger subscriptions = new AtomicInteger();

    TaskEventBus(TaskEventLog eventLog, MeterRegistry metrics) {
        this.eventLog = eventLog;
        Gauge.builder("purser.stream.subscriptions", this, TaskEventBus::openSubscriptions)
                .description("open task event subscriptions (SSE streams) on this instance")
                .register(metrics);
        Gauge.builder("purser.stream.topics", this, TaskEventBus::openTopics)
                .description("tasks with at least one subscriber on this instance")
                .register(metrics);
    }

    /** A subscription that receives nothing until {@link #startAt} positions it. */
    TaskSubscription subscribe(String taskId) {
        TaskSubscription s = new TaskSubscription(this, taskId);
        topics.compute(taskId, (id, t) -> {
            Topic topic = t == null ? new Topic(id) : t;
            synchronized (topic) {
                topic.subscribers.add(s);
            }
            return topic;
        });
        subscriptions.incrementAndGet();
        return s;
    }

    /** Delivers the events from {@code seq} on to {@code s} (reading what is missing). */
    void startAt(TaskSubscription s, int seq) {
        Topic t = topics.get(s.taskId());
        if (t == null) {
            return;
        }
        synchronized (t) {
            s.next = seq;
            t.known = Math.max(t.known, seq - 1);
            t.pump(true);
        }
    }

    /** Events this instance just committed, starting at {@code firstSeq}. */
    void published(String taskId, int firstSeq, List<StreamEvent> events) {
        Topic t = topics.get(taskId);
        if (t == null) {
            return;
        }
        synchronized (t) {
            for (int i = 0; i < events.size(); i++) {
                t.log.put(firstSeq + i, events.get(i));
            }
            t.known = Math.max(t.known, firstSeq + events.size() - 1);
            t.pump(false);
        }
    }

    /** Another instance committed events of a task up to {@code lastSeq}. */
    void notified(String taskId, int lastSeq) {
        Topic t = topics.get(taskId);
        if (t == null) {
            return;
        }
        synchronized (t) {
            t.known = Math.max(t.known, lastSeq);
            t.pump(true);
        }
    }

    /** After the notification channel was down: every topic re-reads what it may have missed. */
    void resyncAll() {
        for (Topic t : topics.values()) {
            synchronized (t) {
                int before = t.known;
                t.known = Integer.MAX_VALUE;
                t.pump(true);
                int reached = before;
                for (TaskSubscription s : t.subscribers) {
                    reached = Math.max(reached, s.next - 1);
                }
                t.known = reached;
            }
        }
    }

    void unsubscribe(TaskSubscription s) {
        topics.computeIfPresent(s.taskId(), (id, t) -> {
            synchronized (t) {
                if (t.subscribers.remove(s)) {
                    subscriptions.decrementAndGet();
                }
                if (t.subscribers.isEmpty()) {
                    return null;
                }
                t.trim();
                return t;
            }
        });
    }

    /** Open subscriptions on this instance (for metrics and the soak benchmark). */
    public int openSubscriptions() {
        return subscriptions.get();
    }

    /** Tasks with at least one subscriber on this instance. */
    public int openTopics() {
        return topics.size();
    }

    private final class Topic {
        final String taskId;
        final Set<TaskSubscription> subscribers = ConcurrentHashMap.newKeySet();
        /** Recent events not yet delivered to every subscriber. */
        final TreeMap<Integer, StreamEvent> log = new TreeMap<>();
        /** The highest seq known to exist. */
        int known;

        Topic(String taskId) {
            this.taskId = taskId;
        }

        /** Fills gaps (from the database, when allowed) and delivers what each cursor needs. */
        void pump(boolean mayRead) {
            int need = Integer.MAX_VALUE;
            for (TaskSubscription s : subscribers) {
                if (s.next > 0 && s.next <= known && !log.containsKey(s.next)) {
                    need = Math.min(need, s.next);
                }
            }
            if (need != Integer.MAX_VALUE && (mayRead || hasGapBefore(need))) {
                try {
                    for (SeqEvent e : eventLog.events(taskId, need)) {
                        log.putIfAbsent(e.seq(), e.event());
                    }
                } catch (RuntimeException e) {
                    LOG.warnf(e, "could not read the events of task %s; will retry on the next one",
                            taskId);
                }
            }
            for (TaskSubscription s : subscribers) {
                if (s.next <= 0) {
                    continue;
                }
                StreamEvent e;
                while ((e = log.get(s.next)) != null) {
                    s.offer(e);
                    s.next++;
                }
            }
            trim();
        }

        /** A local publish left a hole below it (another writer's event): read it. */
        private boolean hasGapBefore(int need) {
            Integer higher = log.higherKey(need);
            return higher != null;
        }

        void trim() {
            int min = Integer.MAX_VALUE;
            for (TaskSubscription s : subscribers) {
                if (s.next <= 0) {
                    return; // someone is still positioning: keep everything
                }
                min = Math.min(min, s.next);
            }
            log.headMap(min).clear();
        }
    }

    /** Snapshot of every open topic's subscriber count, for diagnostics. */
    List<Integer> topicSizes() {
        List<Integer> out = new ArrayList<>();
        topics.values().forEach(t -> out.add(t.subscribers.size()));
        return out;
    }
}
