package dev.purser.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.ListTasksRequest;
import dev.purser.a2a.spec.ListTasksResult;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.V10Json;
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

    /** Inserts a new task at version 1, batched with concurrent inserts. */
    void insert(String owner, Task task, String skill) {
        inserts.insert(new InsertBatcher.Row(task.id(), owner, task.contextId(), task.state().v03(),
                task.status().timestamp().toString(), skill, write(task)));
    }

    @PreDestroy
    void stop() {
        inserts.close();
    }

    /** Writes {@code next} if the stored version is still {@code version}; false otherwise. */
    boolean update(Task next, int version) {
        String sql = "update task set state = ?, status_at = ?, doc = ?::json, version = version + 1"
                + " where id = ? and version = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, next.state().v03());
            ps.setTimestamp(2, Timestamp.from(next.status().timestamp()));
            ps.setString(3, write(next));
            ps.setString(4, next.id());
            ps.setInt(5, version);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("updating task " + next.id(), e);
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
        try {
            return json.writeValueAsString(V10Json.INSTANCE.writeTask(t));
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
