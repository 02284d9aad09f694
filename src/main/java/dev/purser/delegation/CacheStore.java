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
 * The {@code delegation_cache} rows (plain SQL): one live answer per key (owner, service, request
 * hash). Delegation keeps a task's artifacts here, metered model calls a completion (DESIGN §9
 * and §11 share the cache's rules). Times are the database's, so every instance agrees on what
 * has expired. An unusable row or a database error is a miss: the cache never fails a call.
 */
@ApplicationScoped
public class CacheStore {

    /** A cached answer: who served it and what it produced. */
    record Answer(String providerId, String providerTaskId, List<Artifact> artifacts) {

        Answer {
            artifacts = List.copyOf(artifacts);
        }
    }

    /**
     * A cached answer as stored.
     *
     * @param body the answer's JSON text
     */
    public record Entry(String providerId, String providerTaskId, String body) {
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
        return find(key.owner(), key.serviceId(), key.partsHash()).flatMap(e -> {
            try {
                List<Artifact> artifacts = new ArrayList<>();
                for (JsonNode a : json.readTree(e.body())) {
                    artifacts.add(V10Json.INSTANCE.readArtifact((ObjectNode) a));
                }
                return Optional.of(new Answer(e.providerId(), e.providerTaskId(), artifacts));
            } catch (JsonProcessingException | RuntimeException ex) {
                LOG.warnf("result cache entry for %s unusable: %s", key.serviceId(), ex.toString());
                return Optional.empty();
            }
        });
    }

    /**
     * The unexpired entry of {@code owner} for {@code serviceId} under {@code hash} (lower-case
     * hex SHA-256 of the request's canonical JSON), if any.
     */
    public Optional<Entry> find(String owner, String serviceId, String hash) {
        String sql = "select provider_id, provider_task_id, artifacts from delegation_cache where "
                + KEY + " and expires_at > now()";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, owner, serviceId, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Entry(rs.getString(1), rs.getString(2),
                        rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("result cache read for %s: %s", serviceId, e.toString());
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
        store(key.owner(), key.serviceId(), key.partsHash(), ttl,
                new Entry(answer.providerId(), answer.providerTaskId(), artifacts.toString()));
    }

    /** Keeps {@code entry} for {@code ttl}, as {@link #store(CacheKey, Duration, Answer)}. */
    public void store(String owner, String serviceId, String hash, Duration ttl, Entry entry) {
        String sql = "insert into delegation_cache (owner, service_id, parts_hash, artifacts,"
                + " provider_id, provider_task_id, expires_at)"
                + " values (?, ?, ?, ?, ?, ?, now() + ? * interval '1 millisecond')"
                + " on conflict (owner, service_id, parts_hash) do update set"
                + " artifacts = excluded.artifacts, provider_id = excluded.provider_id,"
                + " provider_task_id = excluded.provider_task_id, created_at = excluded.created_at,"
                + " expires_at = excluded.expires_at where delegation_cache.expires_at <= now()";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, owner, serviceId, hash);
            ps.setString(4, entry.body());
            ps.setString(5, entry.providerId());
            ps.setString(6, entry.providerTaskId());
            ps.setLong(7, ttl.toMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("result cache write for %s: %s", serviceId, e.toString());
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

    private static void bind(PreparedStatement ps, String owner, String serviceId, String hash)
            throws SQLException {
        ps.setString(1, owner);
        ps.setString(2, serviceId);
        ps.setString(3, hash);
    }
}
