package dev.purser.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The read side of a task's event log: the events since a seq, for subscribers catching up, and
 * the purge that keeps only the recent tail. {@link TaskStore} appends the events in the
 * transaction that changes the task, so the log and the task never disagree.
 */
@ApplicationScoped
class TaskEventLog {

    private final DataSource db;
    private final TaskDocs docs;

    TaskEventLog(DataSource db, ObjectMapper json) {
        this.db = db;
        this.docs = new TaskDocs(json);
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
                    out.add(new SeqEvent(rs.getInt(1), docs.event(rs.getString(2))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new TaskStore.StoreException("reading events of task " + taskId, e);
        }
    }

    /** Drops events older than {@code age}: readers only need the recent tail of the log. */
    int purgeOlderThan(Duration age) {
        String sql = "delete from task_event where at < now() - ? * interval '1 millisecond'";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, age.toMillis());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new TaskStore.StoreException("purging task events", e);
        }
    }
}
