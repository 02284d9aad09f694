package dev.purser.market;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.boot.HttpErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The recent attempts of a provider's or a model upstream's offers, newest first, from
 * {@code market_attempt}: what the console charts as latency and success over time. Answers
 * {@code {"<owner>": id, "attempts": [{offer, "<item>": skill or model, outcome, ms, at}]}}.
 */
@ApplicationScoped
class AttemptHistory {

    private final DataSource db;
    private final AttemptLog attempts;

    AttemptHistory(DataSource db, AttemptLog attempts) {
        this.db = db;
        this.attempts = attempts;
    }

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** The {@code limit} parameter: 1 to {@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT}. */
    private static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        return limit.matches("[0-9]{1,4}") ? Integer.parseInt(limit) : -1;
    }

    /**
     * The history answer of a resource: 400 for a bad {@code limit}, {@code notFound} when
     * {@code exists} is false, else {@code read} of the limit.
     */
    static Response answer(Logger log, String what, String limit, Supplier<Boolean> exists,
            IntFunction<ObjectNode> read, Supplier<Response> notFound) {
        int n = limit(limit);
        if (n < 1 || n > MAX_LIMIT) {
            return HttpErrors.of(400, "invalid", "limit must be 1 to " + MAX_LIMIT, "limit");
        }
        return HttpErrors.guarded(log, what, () -> exists.get()
                ? Response.ok(read.apply(n)).build() : notFound.get());
    }

    /** A provider's attempts, each with the skill of its offer. */
    ObjectNode ofProvider(String providerId, int limit) {
        return json("provider", providerId, "skill", rows(
                "select a.offer_id, o.skill_id, a.outcome, a.ms, a.at from market_attempt a"
                        + " join market_offer o on o.id = a.offer_id where o.provider_id = ?"
                        + " order by a.id desc limit ?", providerId, limit));
    }

    /** A model upstream's attempts ({@code model:<upstream>:<model>} offers), each with its model. */
    ObjectNode ofUpstream(String upstreamId, int limit) {
        String prefix = "model:" + upstreamId + ":";
        return json("upstream", upstreamId, "model", rows(
                "select offer_id, substr(offer_id, length(?) + 1), outcome, ms, at"
                        + " from market_attempt where left(offer_id, length(?)) = ?"
                        + " order by id desc limit ?", prefix, prefix, prefix, limit));
    }

    /** The rows of {@code sql}, after the attempts still queued on this instance are written. */
    private List<Object[]> rows(String sql, Object... params) {
        attempts.flushPending();
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4), rs.getTimestamp(5)});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("market: reading attempts failed (SQLState "
                    + e.getSQLState() + ")", e);
        }
        return rows;
    }

    private static ObjectNode json(String owner, String id, String item, List<Object[]> rows) {
        ObjectNode out = JsonNodeFactory.instance.objectNode().put(owner, id);
        ArrayNode list = out.putArray("attempts");
        for (Object[] r : rows) {
            list.addObject().put("offer", (String) r[0]).put(item, (String) r[1])
                    .put("outcome", (String) r[2]).put("ms", ((Number) r[3]).longValue())
                    .put("at", instant(r[4]).toString());
        }
        return out;
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("market: unexpected timestamp " + value);
        };
    }
}
