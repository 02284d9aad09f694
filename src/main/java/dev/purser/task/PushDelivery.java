package dev.purser.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.V10Json;
import dev.purser.a2a.spec.WireCodec;
import dev.purser.a2a.v03.V03Json;
import dev.purser.ledger.ReceiptSigner;
import dev.purser.net.UrlGuard;
import dev.purser.secrets.ColumnSecrets;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Delivers the push outbox: claims due rows (at most one per webhook at a time, the oldest, so a
 * webhook gets its task's events in order), POSTs them, deletes them on a 2xx and otherwise
 * retries with exponential backoff up to {@code PURSER_PUSH_MAX_ATTEMPTS}. Rows live in
 * PostgreSQL, so a delivery survives a restart; a claim expires, so one left by a crashed
 * instance is taken over. Any instance delivers any row. Redirects are not followed; the SSRF
 * guard is checked again before each POST. The worker runs on a NOTIFY and keeps going while it
 * finds due rows; {@code PURSER_PUSH_POLL} is only how often an idle worker looks for retries.
 */
@ApplicationScoped
public class PushDelivery {

    private static final Logger LOG = Logger.getLogger(PushDelivery.class);
    private static final int BATCH = 32;

    private final DataSource db;
    private final ObjectMapper json;
    private final TaskConfig.Push config;
    private final WebhookClient webhooks;
    private final ColumnSecrets secrets;
    private final Semaphore wake = new Semaphore(0);
    private final ExecutorService posts = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;
    private Thread thread;

    PushDelivery(DataSource db, ObjectMapper json, TaskConfig config, ReceiptSigner signer,
            ColumnSecrets secrets) {
        this.db = db;
        this.secrets = secrets;
        this.json = json;
        this.config = config.push();
        this.webhooks = new WebhookClient(config.push(), signer);
    }

    void start(@Observes StartupEvent ev) {
        running = true;
        thread = Thread.ofPlatform().daemon().name("purser-push").start(this::loop);
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        running = false;
        wake.release();
        if (thread != null) {
            thread.join(2000);
        }
        posts.shutdownNow();
    }

    /** Something may be due now (a NOTIFY on the push channel). */
    void wake() {
        wake.release();
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(config.poll().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                while (running && deliverDue() > 0) {
                    // a delivered row may have released the next event for its webhook (one at a
                    // time per webhook), and a full batch may have left more: go again at once
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "push delivery round failed; retrying");
            }
        }
    }

    /** Claims and delivers one batch; the number of rows it claimed. */
    int deliverDue() throws InterruptedException {
        List<Due> due = claim();
        List<Future<?>> running = new ArrayList<>();
        for (Due d : due) {
            running.add(posts.submit(() -> deliver(d)));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warnf(e.getCause(), "push delivery failed");
            }
        }
        return due.size();
    }

    private record Due(long id, String taskId, String configId, int attempts, String event,
            String task, String url, String token, String scheme, String credentials,
            String wireVersion) {
        @Override
        public String toString() { // never the token or credentials
            return "push " + id + " of task " + taskId + " to " + UrlGuard.forLog(url);
        }
    }

    private List<Due> claim() {
        String sql = """
                update push_outbox o set locked_until = now() + ? * interval '1 millisecond',
                       attempts = o.attempts + 1
                 where o.id in (
                       select x.id from push_outbox x
                        where x.due_at <= now()
                          and (x.locked_until is null or x.locked_until < now())
                          and not exists (select 1 from push_outbox y
                                           where y.task_id = x.task_id and y.config_id = x.config_id
                                             and y.id < x.id)
                        order by x.id limit ? for update skip locked)
                returning o.id, o.task_id, o.config_id, o.attempts, o.event::text, o.task::text,
                       (select url from push_config c where c.task_id = o.task_id and c.id = o.config_id),
                       (select token from push_config c where c.task_id = o.task_id and c.id = o.config_id),
                       (select auth_scheme from push_config c where c.task_id = o.task_id and c.id = o.config_id),
                       (select auth_credentials from push_config c where c.task_id = o.task_id and c.id = o.config_id),
                       (select wire_version from push_config c where c.task_id = o.task_id and c.id = o.config_id)
                """;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, webhooks.claimLease().toMillis());
            ps.setInt(2, BATCH);
            List<Due> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10), rs.getString(11)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("claiming push deliveries: " + e.getMessage(), e);
        }
    }

    private void deliver(Due d) {
        if (d.url() == null) {
            delete(d.id()); // the config was deleted: nobody to tell
            return;
        }
        Optional<String> refusal = webhooks.refusal(d.url());
        if (refusal.isPresent()) {
            LOG.warnf("push to %s for task %s refused: url %s", UrlGuard.forLog(d.url()),
                    d.taskId(), refusal.get());
            delete(d.id());
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        boolean v03 = "0.3".equals(d.wireVersion());
        headers.put("Content-Type", v03 ? "application/json" : "application/a2a+json");
        String token;
        String credentials;
        try {
            token = secrets.open(TaskStore.PUSH_TOKEN, d.token(), d.taskId(), d.configId());
            credentials = secrets.open(TaskStore.PUSH_CREDENTIALS, d.credentials(), d.taskId(),
                    d.configId());
        } catch (IllegalStateException e) {
            retry(d, e.getMessage()); // another instance's key: say so, back off, give up in time
            return;
        }
        if (token != null) {
            headers.put("X-A2A-Notification-Token", token);
        }
        if (d.scheme() != null && credentials != null) {
            headers.put("Authorization", d.scheme() + " " + credentials);
        }
        Optional<String> failure;
        try {
            failure = webhooks.post(d.url(), headers, () -> body(d));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        failure.ifPresentOrElse(error -> retry(d, error), () -> delete(d.id()));
    }

    private byte[] body(Due d) throws java.io.IOException {
        StreamEvent event = V10Json.INSTANCE.readStreamEvent((ObjectNode) json.readTree(d.event()));
        Task task = V10Json.INSTANCE.readTask((ObjectNode) json.readTree(d.task()));
        WireCodec codec = "0.3".equals(d.wireVersion()) ? V03Json.INSTANCE : V10Json.INSTANCE;
        return json.writeValueAsBytes(codec.writePushBody(event, task));
    }

    private void retry(Due d, String error) {
        if (webhooks.exhausted(d.attempts())) {
            LOG.warnf("push to %s for task %s dropped after %d attempts: %s",
                    UrlGuard.forLog(d.url()), d.taskId(), d.attempts(), error);
            delete(d.id());
            return;
        }
        String sql = "update push_outbox set due_at = now() + ? * interval '1 millisecond',"
                + " locked_until = null, last_error = ? where id = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, webhooks.backoff(d.attempts()).toMillis());
            ps.setString(2, error.length() > 500 ? error.substring(0, 500) : error);
            ps.setLong(3, d.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf(e, "could not reschedule push %d; its claim will expire", d.id());
        }
    }

    private void delete(long id) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from push_outbox where id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf(e, "could not delete delivered push %d; it may be sent again", id);
        }
    }
}
