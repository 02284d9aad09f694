package dev.purser.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.PushConfig;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.db.RetriedTransaction;
import dev.purser.secrets.ColumnSecrets;
import dev.purser.secrets.SealedColumn;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Tasks in PostgreSQL, each under its owner: a lookup by another owner finds nothing. Writes are
 * conditional on the version read, so a cancel and an executor never overwrite each other; each
 * write appends its events and queues their pushes in the same transaction. Also the task's push
 * configs, whose token and credentials are sealed ({@link ColumnSecrets}). Listing is
 * {@link TaskList}'s; reading the event log back, {@link TaskEventLog}'s.
 */
@ApplicationScoped
class TaskStore {

    /** NOTIFY channel of task events: payload "instance taskId lastSeq". */
    static final String EVENT_CHANNEL = "purser_task_event";
    /** NOTIFY channel that wakes push delivery workers. */
    static final String PUSH_CHANNEL = "purser_push";
    /** This process, so that its listener skips the notifications it sent itself. */
    static final String INSTANCE = java.util.UUID.randomUUID().toString();

    static final SealedColumn PUSH_TOKEN = new SealedColumn("push_config", "token", "task_id", "id");
    static final SealedColumn PUSH_CREDENTIALS =
            new SealedColumn("push_config", "auth_credentials", "task_id", "id");

    private final DataSource db;
    private final TaskDocs docs;
    private final InsertBatcher inserts;
    private final ColumnSecrets secrets;

    TaskStore(DataSource db, ObjectMapper json, ColumnSecrets secrets) {
        this.db = db;
        this.docs = new TaskDocs(json);
        this.inserts = new InsertBatcher(db);
        this.secrets = secrets;
    }

    @Produces
    @Singleton
    static SealedColumn pushToken() {
        return PUSH_TOKEN;
    }

    @Produces
    @Singleton
    static SealedColumn pushCredentials() {
        return PUSH_CREDENTIALS;
    }

    Optional<StoredTask> find(String owner, String id) {
        String sql = "select doc::text, version, skill from task where id = ? and owner = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredTask(docs.task(rs.getString(1)), rs.getInt(2),
                        rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new StoreException("reading task " + id, e);
        }
    }

    /** {@code owner}'s task {@code id}; task-not-found when it has none by that id. */
    StoredTask require(String owner, String id) {
        return find(owner, id).orElseThrow(() -> A2aFailure.taskNotFound(id));
    }

    /** A stored task with the owner it is stored under. */
    record Owned(StoredTask stored, String owner) {
    }

    /** The task whoever owns it: for background steps only, never for a caller's request. */
    Optional<Owned> findAnyOwner(String id) {
        String sql = "select doc::text, version, skill, owner from task where id = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Owned(new StoredTask(docs.task(rs.getString(1)),
                        rs.getInt(2), rs.getString(3)), rs.getString(4)));
            }
        } catch (SQLException e) {
            throw new StoreException("reading task " + id, e);
        }
    }

    /**
     * Inserts a new task with its first events (the first is the task itself), at version =
     * number of events, and registers {@code push} (may be null) in the same transaction.
     */
    void insert(String owner, Task task, String skill, List<StreamEvent> events, PushConfig push,
            String pushVersion) {
        if (push == null) {
            // The common case: no webhook yet, so no outbox rows; concurrent inserts share one
            // commit (see InsertBatcher). With a webhook the config must land in the same
            // transaction, which the batcher does not do.
            String doc = docs.write(task);
            List<String> evs = new ArrayList<>(events.size());
            for (StreamEvent e : events) {
                // The first event is the task itself: its stored JSON wrapped, not written again.
                evs.add(e instanceof StreamEvent.OfTask t && t.task() == task ? TaskDocs.ofTask(doc)
                        : docs.write(e));
            }
            inserts.insert(new InsertBatcher.Row(task.id(), owner, task.contextId(), task.state().v03(),
                    task.status().timestamp().toString(), skill, doc, evs));
            return;
        }
        String sql = "insert into task (id, owner, context_id, state, status_at, version, skill, doc)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?::json)";
        inTransaction("inserting task " + task.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, task.id());
                ps.setString(2, owner);
                ps.setString(3, task.contextId());
                ps.setString(4, task.state().v03());
                ps.setTimestamp(5, Timestamp.from(task.status().timestamp()));
                ps.setInt(6, events.size());
                ps.setString(7, skill);
                ps.setString(8, docs.write(task));
                ps.executeUpdate();
            }
            if (push != null) {
                putPushConfig(c, push, pushVersion);
            }
            appendEvents(c, task, 1, events);
            return null;
        });
    }

    /**
     * Writes {@code next} and its events if the stored version is still {@code version}; the
     * events get seq version+1.. and the task version+n. False when someone wrote first.
     */
    boolean update(Task next, int version, List<StreamEvent> events) {
        String sql = "update task set state = ?, status_at = ?, doc = ?::json, version = version + ?"
                + " where id = ? and version = ?";
        return inTransaction("updating task " + next.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, next.state().v03());
                ps.setTimestamp(2, Timestamp.from(next.status().timestamp()));
                ps.setString(3, docs.write(next));
                ps.setInt(4, events.size());
                ps.setString(5, next.id());
                ps.setInt(6, version);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            appendEvents(c, next, version + 1, events);
            return true;
        });
    }

    @PreDestroy
    void stop() {
        inserts.close();
    }

    // ---- push configs -----------------------------------------------------------------------------

    /** Registers (or replaces, same task and id) a webhook. */
    void putPushConfig(PushConfig p, String wireVersion) {
        inTransaction("storing a push config of task " + p.taskId(), c -> {
            putPushConfig(c, p, wireVersion);
            return null;
        });
    }

    private void putPushConfig(Connection c, PushConfig p, String wireVersion)
            throws SQLException {
        String sql = "insert into push_config (task_id, id, url, token, auth_scheme, auth_credentials,"
                + " wire_version) values (?, ?, ?, ?, ?, ?, ?) on conflict (task_id, id) do update set"
                + " url = excluded.url, token = excluded.token, auth_scheme = excluded.auth_scheme,"
                + " auth_credentials = excluded.auth_credentials, wire_version = excluded.wire_version";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, p.taskId());
            ps.setString(2, p.id());
            ps.setString(3, p.url());
            ps.setString(4, secrets.seal(PUSH_TOKEN, p.token(), p.taskId(), p.id()));
            ps.setString(5, p.authScheme());
            ps.setString(6, secrets.seal(PUSH_CREDENTIALS, p.authCredentials(), p.taskId(), p.id()));
            ps.setString(7, wireVersion);
            ps.executeUpdate();
        }
    }

    List<PushConfig> pushConfigs(String taskId) {
        String sql = "select id, task_id, url, token, auth_scheme, auth_credentials from push_config"
                + " where task_id = ? order by created_at, id";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, taskId);
            List<PushConfig> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    out.add(new PushConfig(id, taskId, rs.getString(3),
                            secrets.open(PUSH_TOKEN, rs.getString(4), taskId, id), rs.getString(5),
                            secrets.open(PUSH_CREDENTIALS, rs.getString(6), taskId, id)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading push configs of task " + taskId, e);
        }
    }

    void deletePushConfig(String taskId, String id) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from push_config where task_id = ? and id = ?")) {
            ps.setString(1, taskId);
            ps.setString(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("deleting a push config of task " + taskId, e);
        }
    }

    // ---- events, in the writer's transaction ------------------------------------------------------

    private void appendEvents(Connection c, Task task, int firstSeq, List<StreamEvent> events)
            throws SQLException {
        String insert = "insert into task_event (task_id, seq, event) values (?, ?, ?::jsonb)";
        String outbox = "insert into push_outbox (task_id, config_id, seq, event, task)"
                + " select task_id, id, ?, ?::jsonb, ?::jsonb from push_config where task_id = ?";
        String doc = null;
        int queued = 0;
        try (PreparedStatement ps = c.prepareStatement(insert);
                PreparedStatement ob = c.prepareStatement(outbox)) {
            for (int i = 0; i < events.size(); i++) {
                String ev = docs.write(events.get(i));
                ps.setString(1, task.id());
                ps.setInt(2, firstSeq + i);
                ps.setString(3, ev);
                ps.addBatch();
                if (doc == null) {
                    doc = docs.write(task);
                }
                ob.setInt(1, firstSeq + i);
                ob.setString(2, ev);
                ob.setString(3, doc);
                ob.setString(4, task.id());
                queued += ob.executeUpdate();
            }
            ps.executeBatch();
        }
        try (PreparedStatement n = c.prepareStatement("select pg_notify(?, ?)")) {
            n.setString(1, EVENT_CHANNEL);
            n.setString(2, INSTANCE + " " + task.id() + " " + (firstSeq + events.size() - 1));
            n.execute();
            if (queued > 0) {
                n.setString(1, PUSH_CHANNEL);
                n.setString(2, INSTANCE);
                n.execute();
            }
        }
    }

    private <T> T inTransaction(String what, RetriedTransaction.Body<T> work) {
        try {
            return RetriedTransaction.run(db, work);
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    /** A database failure: a bug or an outage, answered as an internal error. */
    static final class StoreException extends RuntimeException {
        StoreException(String what, SQLException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
