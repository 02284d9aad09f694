package dev.purser.market;

import dev.purser.db.RetriedTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Attempts, statistics and circuit breakers of offers, in PostgreSQL so that every instance routes
 * on the same facts ({@code market_attempt}, {@code market_offer_health}), in plain SQL: each is on
 * a routed call's path. An attempt and its move of the breaker are one statement (an atomic
 * upsert, so concurrent attempts on several instances count exactly). Routing reads the breakers
 * every time, and the window statistics (a percentile over each offer's latest attempts) from a
 * copy at most {@link #WINDOW_FRESH} old, dropped for an offer as soon as this instance records
 * an attempt at it.
 */
@ApplicationScoped
class OfferStats {

    /** How long routing may order offers on window statistics read earlier. */
    static final Duration WINDOW_FRESH = Duration.ofSeconds(1);

    /** An offer's window statistics as read at {@code readAt} (System.nanoTime). */
    private record Window(int attempts, int completed, OptionalLong p50Ms, long readAt) {
    }

    private final DataSource db;
    private final MarketConfig.Market config;
    private final String recordSql;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    OfferStats(DataSource db, MarketConfig config) {
        this.db = db;
        this.config = config.market();
        int k = this.config.breakerFailures();
        String downFor = "now() + make_interval(secs => " + coolSeconds() + ")";
        // One statement per attempt: the attempt, and its move of the breaker (completed closes
        // it, anything else counts a failure in a row and opens it at k). k and the cool-off are
        // the server's configuration, not input.
        this.recordSql = "with p (offer, outcome, ms, at, ok) as (select ?::text, ?::text,"
                + " ?::bigint, ?::timestamptz, ?::boolean),"
                + " a as (insert into market_attempt (offer_id, outcome, ms, at)"
                + " select offer, outcome, ms, at from p)"
                + " insert into market_offer_health as h (offer_id, failures, down_until)"
                + " select offer, case when ok then 0 else 1 end,"
                + " case when not ok and 1 >= " + k + " then " + downFor + " end from p"
                + " on conflict (offer_id) do update set"
                + " failures = case when excluded.failures = 0 then 0 else h.failures + 1 end,"
                + " down_until = case when excluded.failures = 0 then null"
                + " when h.failures + 1 >= " + k + " then " + downFor + " else h.down_until end,"
                + " probe_until = null";
    }

    /** Stores attempts, oldest first, in one transaction, and moves their offers' breakers. */
    void record(List<AttemptLog.Attempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        RetriedTransaction.Body<int[]> write = c -> {
            try (PreparedStatement ps = c.prepareStatement(recordSql)) {
                for (AttemptLog.Attempt a : attempts) {
                    ps.setString(1, a.offerId());
                    ps.setString(2, a.outcome().wire());
                    ps.setLong(3, a.ms());
                    ps.setTimestamp(4, Timestamp.from(a.at()));
                    ps.setBoolean(5, a.outcome().succeeded());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        };
        try {
            if (attempts.size() == 1) {
                RetriedTransaction.statement(db, write); // one round trip, the commit included
            } else {
                RetriedTransaction.run(db, write);
            }
        } catch (SQLException e) {
            throw failed("recording " + attempts.size() + " attempts", e);
        }
        attempts.forEach(a -> windows.remove(a.offerId()));
    }

    /**
     * Claims the one probe of an offer whose breaker is open and whose cool-off has passed; false
     * when it is not due or another caller (on any instance) holds the probe. An unanswered claim
     * lapses after one cool-off.
     */
    boolean claimProbe(String offerId) {
        return sql("claiming the probe of " + offerId, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "update market_offer_health set probe_until = now() + make_interval(secs => ?)"
                            + " where offer_id = ? and failures >= ?"
                            + " and (down_until is null or down_until <= now())"
                            + " and (probe_until is null or probe_until <= now())")) {
                ps.setDouble(1, coolSeconds());
                ps.setString(2, offerId);
                ps.setInt(3, config.breakerFailures());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The health of each offer, read now; offers never tried are {@link OfferHealth#UNTRIED}. */
    Map<String, OfferHealth> read(Collection<String> offerIds) {
        if (offerIds.isEmpty()) {
            return new HashMap<>();
        }
        // Per offer, only its newest `window` attempts are read (the (offer_id, id desc) index):
        // numbering every attempt of the hour first would read them all on every route.
        String sql = "select o.id, s.n, s.ok, s.p50, h.failures, h.down_until"
                + " from unnest(?::text[]) as o (id) cross join lateral"
                + " (select count(*) as n, count(*) filter (where w.outcome = 'completed') as ok,"
                + " percentile_disc(0.5) within group (order by w.ms)"
                + " filter (where w.outcome = 'completed') as p50"
                + " from (select outcome, ms from market_attempt where offer_id = o.id"
                + " and at > now() - make_interval(secs => ?) order by id desc limit ?) w) s"
                + " left join market_offer_health h on h.offer_id = o.id";
        long now = System.nanoTime();
        return sql("reading offer statistics", conn -> {
            Map<String, OfferHealth> out = new HashMap<>();
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                ps.setArray(1, conn.createArrayOf("text", offerIds.toArray()));
                ps.setLong(2, config.windowAge().toSeconds());
                ps.setInt(3, config.window());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long p50 = rs.getLong(4);
                        OptionalLong median = rs.wasNull() ? OptionalLong.empty()
                                : OptionalLong.of(p50); // null: no completed attempt yet
                        Window w = new Window(rs.getInt(2), rs.getInt(3), median, now);
                        windows.put(rs.getString(1), w);
                        Timestamp down = rs.getTimestamp(6);
                        OfferHealth h = health(w, rs.getInt(5), down);
                        if (!h.equals(OfferHealth.UNTRIED)) {
                            out.put(rs.getString(1), h);
                        }
                    }
                }
            }
            return out;
        });
    }

    /**
     * The health routing orders {@code offerIds} by: the breakers read now; the window
     * statistics from the copy while it is fresh, and not at all for a lone offer (there is
     * nothing to order it against).
     */
    Map<String, OfferHealth> forRouting(List<String> offerIds) {
        long now = System.nanoTime();
        boolean fresh = offerIds.size() == 1 || offerIds.stream().allMatch(id -> {
            Window w = windows.get(id);
            return w != null && now - w.readAt() < WINDOW_FRESH.toNanos();
        });
        if (!fresh) {
            return read(offerIds);
        }
        return sql("reading offer breakers", conn -> {
            Map<String, OfferHealth> out = new HashMap<>();
            try (PreparedStatement ps = conn.prepareStatement(
                    "select offer_id, failures, down_until from market_offer_health"
                            + " where offer_id = any(?)")) {
                ps.setArray(1, conn.createArrayOf("text", offerIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), health(windows.get(rs.getString(1)), rs.getInt(2),
                                rs.getTimestamp(3)));
                    }
                }
            }
            for (String id : offerIds) {
                Window w = windows.get(id);
                if (w != null && !out.containsKey(id)) {
                    out.put(id, health(w, 0, null));
                }
            }
            return out;
        });
    }

    private static OfferHealth health(Window w, int failures, Timestamp downUntil) {
        return new OfferHealth(w == null ? 0 : w.attempts(), w == null ? 0 : w.completed(),
                w == null ? OptionalLong.empty() : w.p50Ms(), failures,
                downUntil == null ? Optional.empty() : Optional.of(downUntil.toInstant()));
    }

    private double coolSeconds() {
        return config.breakerCooloff().toMillis() / 1000.0;
    }

    /** {@code body}, one statement on a connection of its own (autocommit: one round trip). */
    private <T> T sql(String what, RetriedTransaction.Body<T> body) {
        try {
            return RetriedTransaction.statement(db, body);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private static IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException("market: " + what + " failed (SQLState "
                + e.getSQLState() + ")", e);
    }
}
