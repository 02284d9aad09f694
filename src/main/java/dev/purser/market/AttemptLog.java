package dev.purser.market;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The attempts {@link Router#record} hears, on their way to {@link OfferStats}. A completed
 * attempt is written just after the call it belongs to (a virtual thread writes whatever has
 * queued, in one transaction): statistics need it soon, not before the caller's answer. A failed
 * one is written at once, after everything queued before it, so the breaker counts failures in
 * the order they happened and opens before the next route. Every read of the statistics on this
 * instance first writes what is queued (its own attempts are never missing), and a normal
 * shutdown writes the rest.
 */
@ApplicationScoped
class AttemptLog {

    /** One attempt at an offer, as the caller saw it end. */
    record Attempt(String offerId, Outcome outcome, long ms, Instant at) {
    }

    private static final Logger LOG = Logger.getLogger(AttemptLog.class);
    /** At most this many attempts per transaction. */
    private static final int BATCH = 256;

    private final OfferStats stats;
    private final ConcurrentLinkedQueue<Attempt> queue = new ConcurrentLinkedQueue<>();
    /** Held while writing: a flush returns only once what was queued before it is written. */
    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicBoolean writerStarted = new AtomicBoolean();

    AttemptLog(OfferStats stats) {
        this.stats = stats;
    }

    /** Queues a completed attempt, written just after, off the caller's path. */
    void later(Attempt attempt) {
        queue.add(attempt);
        if (writerStarted.compareAndSet(false, true)) {
            Thread.ofVirtual().name("market-attempts").start(() -> {
                writerStarted.set(false); // an attempt queued from here on starts another
                try {
                    flush();
                } catch (RuntimeException e) {
                    LOG.warnf("market: attempts not recorded: %s", e.toString());
                }
            });
        }
    }

    /** Writes a failed attempt now, after every attempt queued before it. */
    void now(Attempt attempt) {
        queue.add(attempt);
        flush();
    }

    /** Writes what is queued (and waits for a write under way), when there is any. */
    void flushPending() {
        if (!queue.isEmpty() || writing.isLocked()) {
            flush();
        }
    }

    /**
     * Writes everything queued; returns once it is written. A batch the database refuses is
     * lost with a warning naming how many attempts it held (statistics, never money), and the
     * failure is thrown to the caller.
     */
    void flush() {
        writing.lock();
        try {
            List<Attempt> batch = new ArrayList<>();
            while (true) {
                batch.clear();
                for (Attempt a; batch.size() < BATCH && (a = queue.poll()) != null; ) {
                    batch.add(a);
                }
                if (batch.isEmpty()) {
                    return;
                }
                try {
                    stats.record(batch);
                } catch (RuntimeException e) {
                    LOG.warnf("market: %d attempts not recorded: %s", batch.size(), e.toString());
                    throw e;
                }
            }
        } finally {
            writing.unlock();
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        try {
            flush();
        } catch (RuntimeException e) {
            // warned in flush: the process is stopping either way
        }
    }
}
