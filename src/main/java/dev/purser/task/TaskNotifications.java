package dev.purser.task;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Cross-instance delivery: one dedicated pgjdbc connection (outside the pool) that LISTENs on the
 * task-event and push channels. A task event committed by another instance arrives as
 * "instance taskId lastSeq"; the bus reads the events it lacks from {@code task_event}, in order.
 * After the connection drops it reconnects and every open topic re-reads what it may have missed.
 * Push notifications (from any instance) wake the delivery worker.
 */
@ApplicationScoped
class TaskNotifications {

    private static final Logger LOG = Logger.getLogger(TaskNotifications.class);

    private final TaskEventBus bus;
    private final PushDelivery push;
    private final Config config;
    private volatile boolean running;
    private Thread thread;

    TaskNotifications(TaskEventBus bus, PushDelivery push, Config config) {
        this.bus = bus;
        this.push = push;
        this.config = config;
    }

    void start(@Observes StartupEvent ev) {
        running = true;
        thread = Thread.ofPlatform().daemon().name("purser-listen").start(this::loop);
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(2000);
        }
    }

    private void loop() {
        boolean reconnecting = false;
        while (running) {
            try (Connection c = connect()) {
                try (Statement s = c.createStatement()) {
                    s.execute("listen " + TaskStore.EVENT_CHANNEL);
                    s.execute("listen " + TaskStore.PUSH_CHANNEL);
                }
                if (reconnecting) {
                    bus.resyncAll();
                    LOG.info("task event notifications are back");
                }
                reconnecting = false;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] ns = pg.getNotifications(500);
                    if (ns == null) {
                        continue;
                    }
                    for (PGNotification n : ns) {
                        handle(n);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!reconnecting) {
                    LOG.warnf("task event notifications lost (%s); reconnecting", e.getMessage());
                }
                reconnecting = true;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void handle(PGNotification n) {
        if (n.getName().equals(TaskStore.PUSH_CHANNEL)) {
            push.wake();
            return;
        }
        String[] p = n.getParameter().split(" ");
        if (p.length != 3 || p[0].equals(TaskStore.INSTANCE)) {
            return; // our own: the writer already handed the events to the bus
        }
        try {
            bus.notified(p[1], Integer.parseInt(p[2]));
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not deliver the events of task %s", p[1]);
        }
    }

    private Connection connect() throws SQLException {
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        Properties props = new Properties();
        config.getOptionalValue("quarkus.datasource.username", String.class)
                .ifPresent(u -> props.setProperty("user", u));
        config.getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(pw -> props.setProperty("password", pw));
        props.setProperty("ApplicationName", "purser-listen");
        props.setProperty("tcpKeepAlive", "true");
        // A hung database must not hold this thread in the handshake (README "Database outages").
        config.getOptionalValue("purser.db.login-timeout-seconds", String.class)
                .ifPresent(t -> props.setProperty("loginTimeout", t));
        return DriverManager.getConnection(url, props);
    }
}
