package dev.purser.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.ListTasksRequest;
import dev.purser.a2a.spec.ListTasksResult;
import dev.purser.a2a.spec.Task;
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
import javax.sql.DataSource;

/**
 * ListTasks over the stored tasks: one owner's, filtered by context, state and status time, a
 * page at a time, newest status first; the page token is an opaque cursor past the last row.
 */
@ApplicationScoped
class TaskList {

    private final DataSource db;
    private final TaskDocs docs;

    TaskList(DataSource db, ObjectMapper json) {
        this.db = db;
        this.docs = new TaskDocs(json);
    }

    ListTasksResult page(String owner, ListTasksRequest q) {
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
                        tasks.add(docs.task(rs.getString(1))
                                .view(q.historyLength(), q.includeArtifacts()));
                        lastAt = rs.getTimestamp(2).toInstant();
                        lastId = rs.getString(3);
                    }
                }
            }
            return new ListTasksResult(tasks, next, q.pageSize(), total);
        } catch (SQLException e) {
            throw new TaskStore.StoreException("listing tasks", e);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
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
                throw A2aFailure.invalidParams("pageToken", "is not a token this server issued");
            }
        }
    }
}
