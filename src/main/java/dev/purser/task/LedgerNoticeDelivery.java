package dev.purser.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskStatus;
import dev.purser.a2a.spec.V10Json;
import dev.purser.ledger.LedgerNotices;
import dev.purser.ledger.ReceiptSigner;
import dev.purser.ledger.Notice;
import dev.purser.net.UrlGuard;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Delivers the ledger's soft-limit notices ({@link LedgerNotices}): POSTs each to the principal's
 * webhook as JSON, with the push settings and the SSRF guard of task push delivery
 * ({@code PURSER_PUSH_ALLOW_PRIVATE}, {@code PURSER_PUSH_MAX_ATTEMPTS}, {@code _BACKOFF},
 * {@code _TIMEOUT}); and when the draw that crossed the threshold was a task's, hands it to the
 * task's push configs as a status-update event (the task's state unchanged, the notice as the
 * status message), through the push outbox.
 */
@ApplicationScoped
class LedgerNoticeDelivery {

    private static final Logger LOG = Logger.getLogger(LedgerNoticeDelivery.class);
    private static final int BATCH = 32;

    private final LedgerNotices notices;
    private final DataSource db;
    private final ObjectMapper json;
    private final WebhookClient webhooks;

    LedgerNoticeDelivery(LedgerNotices notices, DataSource db, ObjectMapper json,
            TaskConfig config,
            ReceiptSigner signer) {
        this.notices = notices;
        this.db = db;
        this.json = json;
        this.webhooks = new WebhookClient(config.push(), signer);
    }

    @Scheduled(every = "${purser.notice-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliverDue() {
        try {
            List<Notice> due;
            do {
                due = notices.claim(BATCH, webhooks.claimLease());
                for (Notice n : due) {
                    deliver(n);
                }
            } while (due.size() == BATCH);
        } catch (RuntimeException e) {
            // Claims are leases: whatever this run left is due again when they lapse.
            LOG.warn("Delivering soft-limit notices failed", e);
        }
    }

    private void deliver(Notice n) {
        if (n.taskId() != null && !n.pushed()) {
            pushToTask(n);
            notices.pushed(n.id());
        }
        if (n.webhook() == null) {
            notices.delivered(n.id());
            return;
        }
        Optional<String> refusal = webhooks.refusal(n.webhook());
        if (refusal.isPresent()) {
            LOG.warnf("soft-limit notice %d to %s refused: url %s", n.id(),
                    UrlGuard.forLog(n.webhook()), refusal.get());
            notices.dropped(n.id(), "url " + refusal.get());
            return;
        }
        Optional<String> failure;
        try {
            failure = webhooks.post(n.webhook(), Map.of("Content-Type", "application/json"),
                    () -> json.writeValueAsBytes(n.toJson()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (failure.isEmpty()) {
            notices.delivered(n.id());
            return;
        }
        String error = failure.get();
        if (webhooks.exhausted(n.attempts())) {
            LOG.warnf("soft-limit notice %d to %s dropped after %d attempts: %s", n.id(),
                    UrlGuard.forLog(n.webhook()), n.attempts(), error);
            notices.dropped(n.id(), error);
            return;
        }
        notices.retry(n.id(), webhooks.backoff(n.attempts()), error);
    }

    /** Queues the notice for each push config of its task, as a status update (at least once). */
    private void pushToTask(Notice n) {
        String select = "select doc::text, version from task where id = ?";
        String outbox = "insert into push_outbox (task_id, config_id, seq, event, task)"
                + " select task_id, id, ?, ?::jsonb, ?::jsonb from push_config where task_id = ?";
        try (Connection c = db.getConnection()) {
            String doc;
            int version;
            try (PreparedStatement ps = c.prepareStatement(select)) {
                ps.setString(1, n.taskId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    doc = rs.getString(1);
                    version = rs.getInt(2);
                }
            }
            Task task = V10Json.INSTANCE.readTask((ObjectNode) json.readTree(doc));
            Message message = Message.agent(UUID.randomUUID().toString(),
                    List.of(Part.text(n.text()))).inTask(task.id(), task.contextId());
            StreamEvent event = new StreamEvent.StatusUpdate(task.id(), task.contextId(),
                    new TaskStatus(task.status().state(), message, Instant.now()));
            try (PreparedStatement ps = c.prepareStatement(outbox)) {
                ps.setInt(1, version);
                ps.setString(2, json.writeValueAsString(
                        V10Json.INSTANCE.writeStreamEvent(event, false)));
                ps.setString(3, doc);
                ps.setString(4, task.id());
                if (ps.executeUpdate() > 0) {
                    try (PreparedStatement wake = c.prepareStatement("select pg_notify(?, ?)")) {
                        wake.setString(1, TaskStore.PUSH_CHANNEL);
                        wake.setString(2, TaskStore.INSTANCE);
                        wake.execute();
                    }
                }
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("queuing a soft-limit push for task " + n.taskId(), e);
        }
    }
}
