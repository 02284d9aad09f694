package dev.purser.task;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Drops task events older than {@code PURSER_EVENTS_RETENTION} once a minute. */
@ApplicationScoped
class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class);

    private final TaskEventLog eventLog;
    private final TaskConfig config;
    private ScheduledExecutorService timer;

    EventRetention(TaskEventLog eventLog, TaskConfig config) {
        this.eventLog = eventLog;
        this.config = config;
    }

    void start(@Observes StartupEvent ev) {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("purser-event-retention").factory());
        timer.scheduleWithFixedDelay(this::purge, 1, 1, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void purge() {
        try {
            eventLog.purgeOlderThan(config.events().retention());
        } catch (RuntimeException e) {
            LOG.warnf("could not purge old task events: %s", e.getMessage());
        }
    }
}
