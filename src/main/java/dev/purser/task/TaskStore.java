package dev.purser.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.ListTasksRequest;
import dev.purser.a2a.spec.ListTasksResult;
import dev.purser.a2a.spec.PushConfig;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.V10Json;
import dev.purser.db.RetriedTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Tasks in PostgreSQL, each under its owner: a lookup by another owner finds nothing. Writes are
 * conditional on the version read, so a cancel and an executor never overwrite each other.
 */
@ApplicationScoped
class TaskStore {

    /** NOTIFY channel of task events: payload "instance taskId lastSeq". */
    static final String EVENT_CHANNEL = "purser_task_event";
    /** NOTIFY channel that wakes push delivery workers. */
    static final String PUSH_CHANNEL = "purser_push";
    /** This process, so that its listener skips the notifications it sent itself. */
    static final String INSTANCE = java.util.UUID.randomUUID().toString();

    private final DataSource db;
    private final ObjectMapper json;
    private final InsertBatcher inserts;

    TaskStore(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
        this.inserts = new InsertBatcher(db);
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
                return Optional.of(new StoredTask(parse(rs.getString(1)), rs.getInt(2), rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new StoreException("reading task " + id, e);
        }
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
                return Optional.of(new Owned(new StoredTask(parse(rs.getString(1)), rs.getInt(2),
                        rs.getString(3)), rs.getString(4)));
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
            List<String> evs = new ArrayList<>(events.size());
            for (StreamEvent e : events) {
                evs.add(write(V10Json.INSTANCE.writeStreamEvent(e, false)));
            }
            inserts.insert(new InsertBatcher.Row(task.id(), owner, task.contextId(), task.state().v03(),
                    task.status().timestamp().toString(), skill, write(task), evs));
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
                ps.setString(8, write(task));
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
                ps.setString(3, write(next));
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

    /** Events of a task from {@code fromSeq} on, in order. */
    List<SeqEvent> events(String taskId, int fromSeq) {
        String sql = "select seq, event::text from task_event where task_id = ? and seq >= ? order by seq";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, taskId);
            ps.setInt(2, fromSeq);
            List<SeqEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SeqEvent(rs.getInt(1), V10Json.INSTANCE.readStreamEvent(
                            (ObjectNode) json.readTree(rs.getString(2)))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading events of task " + taskId, e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event is always valid JSON", e);
        }
    }

    /** Drops events older than {@code age}: readers only need the recent tail of the log. */
    int purgeEvents(java.time.Duration age) {
        String sql = "delete from task_event where at < now() - ? * interval '1 millisecond'";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, age.toMillis());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("purging task events", e);
        }
    }

    // ---- push configs -----------------------------------------------------------------------------

    /** Registers (or replaces, same task and id) a webhook. */
    void putPushConfig(PushConfig p, String wireVersion) {
        inTransaction("storing a push config of task " + p.taskId(), c -> {
            putPushConfig(c, p, wireVersion);
            return null;
        });
    }

    private static void putPushConfig(Connection c, PushConfig p, String wireVersion)
            throws SQLException {
        String sql = "insert into push_config (task_id, id, url, token, auth_scheme, auth_credentials,"
                + " wire_version) values (?, ?, ?, ?, ?, ?, ?) on conflict (task_id, id) do update set"
                + " url = excluded.url, token = excluded.token, auth_scheme = excluded.auth_scheme,"
                + " auth_credentials = excluded.auth_credentials, wire_version = excluded.wire_version";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, p.taskId());
            ps.setString(2, p.id());
            ps.setString(3, p.url());
            ps.setString(4, p.token());
            ps.setString(5, p.authScheme());
            ps.setString(6, p.authCredentials());
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
                    out.add(new PushConfig(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)));
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
                String ev = write(V10Json.INSTANCE.writeStreamEvent(events.get(i), false));
                ps.setString(1, task.id());
                ps.setInt(2, firstSeq + i);
                ps.setString(3, ev);
                ps.addBatch();
                if (doc == null) {
                    doc = write(task);
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

    ListTasksResult list(String owner, ListTasksRequest q) {
        StringBuilder where = new StringBuilder(" from task where owner = ?");
        List<Object> args = new ArrayList<>();
        args.add(owner);
        if (q.contextId() != null) {
            where.append(" and context_id = ?");
            args.add(q.contextId());
        }
        if (q.state() != null) {
            where.append(" and state = ?");
            args.add(q.state().v03());
        }
        if (q.statusTimestampAfter() != null) {
            where.append(" and status_at >= ?");
            args.add(Timestamp.from(q.statusTimestampAfter()));
        }
        try (Connection c = db.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*)" + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            StringBuilder page = new StringBuilder("select doc::text, status_at, id").append(where);
            List<Object> pageArgs = new ArrayList<>(args);
            if (q.pageToken() != null) {
                Cursor cursor = Cursor.decode(q.pageToken());
                page.append(" and (status_at, id) < (?, ?)");
                pageArgs.add(Timestamp.from(cursor.statusAt()));
                pageArgs.add(cursor.id());
            }
            page.append(" order by status_at desc, id desc limit ?");
            pageArgs.add(q.pageSize() + 1);
            List<Task> tasks = new ArrayList<>();
            String next = "";
            try (PreparedStatement ps = c.prepareStatement(page.toString())) {
                bind(ps, pageArgs);
                try (ResultSet rs = ps.executeQuery()) {
                    Instant lastAt = null;
                    String lastId = null;
                    while (rs.next()) {
                        if (tasks.size() == q.pageSize()) {
                            next = new Cursor(lastAt, lastId).encode();
                            break;
                        }
                        tasks.add(parse(rs.getString(1)).view(q.historyLength(), q.includeArtifacts()));
                        lastAt = rs.getTimestamp(2).toInstant();
                        lastId = rs.getString(3);
                    }
                }
            }
            return new ListTasksResult(tasks, next, q.pageSize(), total);
        } catch (SQLException e) {
            throw new StoreException("listing tasks", e);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    private String write(Task t) {
        return write(V10Json.INSTANCE.writeTask(t));
    }

    private String write(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a task always serialises", e);
        }
    }

    private Task parse(String doc) {
        try {
            return V10Json.INSTANCE.readTask((ObjectNode) json.readTree(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored task is always valid JSON", e);
        }
    }

    /** The opaque page token: the last row's sort key, microseconds and id. */
    record Cursor(Instant statusAt, String id) {

        String encode() {
            long micros = Math.addExact(Math.multiplyExact(statusAt.getEpochSecond(), 1_000_000L),
                    statusAt.getNano() / 1000);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (micros + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int colon = s.indexOf(':');
                long micros = Long.parseLong(s.substring(0, colon));
                Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1000);
                return new Cursor(at, s.substring(colon + 1));
            } catch (RuntimeException e) {
                throw dev.purser.a2a.spec.A2aFailure.invalidParams("pageToken",
                        "is not a token this server issued");
            }
        }
    }

    /** A database failure: a bug or an outage, answered as an internal error. */
    static final class StoreException extends RuntimeException {
        StoreException(String what, SQLException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
