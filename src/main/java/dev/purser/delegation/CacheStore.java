package dev.purser.delegation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.V10Json;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The {@code delegation_cache} rows (plain SQL): one live answer per {@link CacheKey}. Times are
 * the database's, so every instance agrees on what has expired. An unusable row or a database
 * error is a miss: the cache never fails a task.
 */
@ApplicationScoped
class CacheStore {

    /** A cached answer: who served it and what it produced. */
    record Answer(String providerId, String providerTaskId, List<Artifact> artifacts) {

        Answer {
            artifacts = List.copyOf(artifacts);
        }
    }

    private static final Logger LOG = Logger.getLogger(CacheStore.class);
    private static final String KEY = "owner = ? and service_id = ? and parts_hash = ?";

    private final DataSource db;
    private final ObjectMapper json;

    CacheStore(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The unexpired answer under {@code key}, if any. */
    Optional<Answer> find(CacheKey key) {
        String sql = "select provider_id, provider_task_id, artifacts from delegation_cache where "
                + KEY + " and expires_at > now()";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<Artifact> artifacts = new ArrayList<>();
                for (JsonNode a : json.readTree(rs.getString(3))) {
                    artifacts.add(V10Json.INSTANCE.readArtifact((ObjectNode) a));
                }
                return Optional.of(new Answer(rs.getString(1), rs.getString(2), artifacts));
            }
        } catch (SQLException | JsonProcessingException | RuntimeException e) {
            LOG.warnf("result cache read for %s: %s", key.serviceId(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Keeps {@code answer} under {@code key} for {@code ttl}. A live entry stays as it is (a
     * concurrent store of the same request keeps the first); an expired one is replaced.
     */
    void store(CacheKey key, Duration ttl, Answer answer) {
        ArrayNode artifacts = json.createArrayNode();
        answer.artifacts().forEach(a -> artifacts.add(V10Json.INSTANCE.writeArtifact(a)));
        String sql = "insert into delegation_cache (owner, service_id, parts_hash, artifacts,"
                + " provider_id, provider_task_id, expires_at)"
                + " values (?, ?, ?, ?, ?, ?, now() + ? * interval '1 millisecond')"
                + " on conflict (owner, service_id, parts_hash) do update set"
                + " artifacts = excluded.artifacts, provider_id = excluded.provider_id,"
                + " provider_task_id = excluded.provider_task_id, created_at = excluded.created_at,"
                + " expires_at = excluded.expires_at where delegation_cache.expires_at <= now()";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, key);
            ps.setString(4, artifacts.toString());
            ps.setString(5, answer.providerId());
            ps.setString(6, answer.providerTaskId());
            ps.setLong(7, ttl.toMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("result cache write for %s: %s", key.serviceId(), e.toString());
        }
    }

    /** Deletes expired entries (a read already ignores them; this keeps the table small). */
    @Scheduled(every = "${purser.cache-purge-interval:5m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from delegation_cache where expires_at <= now()")) {
            int purged = ps.executeUpdate();
            if (purged > 0) {
                LOG.debugf("purged %d expired result cache entries", purged);
            }
        } catch (SQLException e) {
            LOG.warnf("result cache purge: %s", e.toString());
        }
    }

    private static void bind(PreparedStatement ps, CacheKey key) throws SQLException {
        ps.setString(1, key.owner());
        ps.setString(2, key.serviceId());
        ps.setString(3, key.partsHash());
    }
}
