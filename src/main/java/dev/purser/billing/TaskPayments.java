package dev.purser.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.db.RetriedTransaction;
import dev.purser.ledger.Reservation;
import dev.purser.money.Asset;
import dev.purser.x402.PaymentPayload;
import dev.purser.x402.SettleOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The payments Purser took for tasks ({@code x402_payment}): which task each authorization pays
 * for, the envelope reservation it holds, and how it stands. An authorization (chain, asset,
 * payer, nonce) pays for one task only, claimed in one statement before any work runs, so a
 * replay — even a concurrent one — is refused (x402.md §4 rule 13), while the same payment sent
 * again for its own task is recognised. Status: {@code verified} (claimed, work may run),
 * {@code settling} (asked to settle), {@code settled}, {@code failed}, {@code unknown} (the settle
 * outcome is not known: the reconciler looks it up by nonce).
 */
@ApplicationScoped
public class TaskPayments {

    /** An authorization's identity: what the token contract marks used. */
    public record Key(long chainId, String asset, Address payer, Bytes32 nonce) {

        public static Key of(Asset asset, PaymentPayload p) {
            return new Key(asset.chainId(), asset.address().toLowerCase(Locale.ROOT), p.from(), p.nonce());
        }
    }

    /** A stored payment. {@code reservation} is null for a payment drawn from no envelope. */
    public record Payment(Key key, String taskId, String payloadHash, long amount, String status,
            Optional<ObjectNode> receipt, Reservation reservation, JsonNode payload,
            JsonNode requirement) {
    }

    /** The outcome of claiming an authorization for a task. */
    public sealed interface Claim {
    }

    /** Ours now: go on. */
    public record Claimed() implements Claim {
    }

    /** Already claimed by this task with this very payload: the same payment sent again. */
    public record Resubmitted(Payment payment) implements Claim {
    }

    /** Used before, by another task or with another payload. */
    public record Duplicate() implements Claim {
    }

    private static final String COLUMNS = "chain_id, asset, payer, nonce, task_id, payload_hash,"
            + " amount, status, receipt::text, envelope_id, reservation_id, payload::text,"
            + " requirement::text";

    private final DataSource db;
    private final ObjectMapper json;

    public TaskPayments(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * Claims the authorization for {@code taskId}, with the reservation it holds (or null) and
     * the JSON a later settle needs.
     */
    public Claim claim(Key key, String taskId, String payloadHash, long amount,
            Reservation reservation, JsonNode payload, JsonNode requirement) {
        String insert = "insert into x402_payment (chain_id, asset, payer, nonce, task_id, payload_hash,"
                + " amount, status, envelope_id, reservation_id, payload, requirement)"
                + " values (?, ?, ?, ?, ?, ?, ?, 'verified', ?, ?, ?::json, ?::json) on conflict do nothing";
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                bindKey(ps, key);
                ps.setString(5, taskId);
                ps.setString(6, payloadHash);
                ps.setLong(7, amount);
                ps.setString(8, reservation == null ? null : reservation.envelopeId().hex());
                if (reservation == null) {
                    ps.setNull(9, Types.BIGINT);
                } else {
                    ps.setLong(9, reservation.id());
                }
                ps.setString(10, json.writeValueAsString(payload));
                ps.setString(11, json.writeValueAsString(requirement));
                if (ps.executeUpdate() == 1) {
                    return new Claimed();
                }
            }
            Optional<Payment> prior = find(c, key);
            if (prior.isPresent() && prior.get().taskId().equals(taskId)
                    && prior.get().payloadHash().equals(payloadHash)) {
                return new Resubmitted(prior.get());
            }
            return new Duplicate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("claiming a payment", e);
        }
    }

    public Optional<Payment> find(Key key) {
        try (Connection c = db.getConnection()) {
            return find(c, key);
        } catch (SQLException e) {
            throw new IllegalStateException("reading a payment", e);
        }
    }

    /**
     * Records how the payment stands, with the facilitator's answer when there is one. An
     * {@code unknown} payment is due for reconciliation at once.
     */
    public void mark(Key key, String status, ObjectNode receipt) {
        String sql = "update x402_payment set status = ?, receipt = coalesce(?::json, receipt),"
                + " updated_at = now(),"
                + " reconcile_at = case when ? = 'unknown' then now() else null end"
                + " where chain_id = ? and asset = ? and payer = ? and nonce = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status);
            ps.setString(2, receipt == null ? null : json.writeValueAsString(receipt));
            ps.setString(3, status);
            ps.setLong(4, key.chainId());
            ps.setString(5, key.asset());
            ps.setString(6, key.payer().lowerHex());
            ps.setString(7, key.nonce().hex());
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("recording a payment's outcome", e);
        }
    }

    /** Records how a claimed payment's purchase ended; an unknown one is due for reconciliation. */
    void conclude(Key key, PaidOutcome outcome) {
        switch (outcome) {
            case PaidOutcome.Completed c -> mark(key, "settled", c.settlement());
            case PaidOutcome.Failed f -> mark(key, "failed",
                    f.receipts().isEmpty() ? null : f.receipts().get(0));
            case PaidOutcome.Canceled c -> mark(key, "failed", null);
            case PaidOutcome.Pending u -> mark(key, "unknown", null);
            case PaidOutcome.Repeat r -> {
                // another request's claim: not ours to write
            }
        }
    }

    /**
     * Moves a verified payment to {@code settling}, only if it still is verified: false when the
     * reconciler gave it up meanwhile ({@link #abandon}), and then it must not be settled.
     */
    public boolean startSettling(Key key) {
        try (Connection c = db.getConnection()) {
            return startSettling(c, key);
        } catch (SQLException e) {
            throw new IllegalStateException("recording a payment's settlement", e);
        }
    }

    private static boolean startSettling(Connection c, Key key) throws SQLException {
        String sql = "update x402_payment set status = 'settling', updated_at = now()"
                + " where chain_id = ? and asset = ? and payer = ? and nonce = ? and status = 'verified'";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindKey(ps, key);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * {@link #startSettling} and {@code settle} (a settlement that is a row in this database,
     * {@link dev.purser.x402.Facilitator#settlesInDatabase}) in one transaction: one commit, and
     * a crash leaves both done or neither (the payment still verified, for the reconciler). Empty
     * when the payment is no longer verified (given up meanwhile): then nothing was settled. An
     * outcome the database could not record is unknown, as a facilitator timeout is.
     */
    public Optional<SettleOutcome> settleWithin(Key key,
            RetriedTransaction.Body<SettleOutcome> settle) {
        try {
            return RetriedTransaction.run(db, c -> startSettling(c, key)
                    ? Optional.of(settle.run(c)) : Optional.<SettleOutcome>empty());
        } catch (SQLException e) {
            return Optional.of(new SettleOutcome.Unknown("could not record the settlement: "
                    + e.getMessage()));
        }
    }

    /**
     * Takes up to {@code limit} payments verified longer than {@code stale} ago and never taken to
     * settlement (the instance doing their work stopped), leasing them for another {@code stale}
     * so that instances reconciling at once never take the same one. Each is then settled
     * ({@link #startSettling}) or given up ({@link #abandon}), both conditional.
     */
    public List<Payment> takeStale(int limit, Duration stale) {
        String sql = "update x402_payment p set updated_at = now()"
                + " from (select chain_id, asset, payer, nonce from x402_payment"
                + "   where status = 'verified' and updated_at < now() - ?::interval"
                + "   order by updated_at limit ? for update skip locked) due"
                + " where p.chain_id = due.chain_id and p.asset = due.asset"
                + " and p.payer = due.payer and p.nonce = due.nonce and p.status = 'verified'"
                + " returning " + qualified("p");
        return taken(sql, "reading stalled payments", interval(stale), limit);
    }

    /**
     * Gives a verified payment up, as {@code failed}, only if it is still verified: nothing was
     * settled (settling needs {@link #startSettling}, which now fails), so nothing is charged.
     */
    public boolean abandon(Key key) {
        String sql = "update x402_payment set status = 'failed', updated_at = now()"
                + " where chain_id = ? and asset = ? and payer = ? and nonce = ? and status = 'verified'";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bindKey(ps, key);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("giving a payment up", e);
        }
    }

    /**
     * Takes up to {@code limit} payments due for reconciliation — outcome unknown, or left
     * settling for longer than {@code stale} (the instance settling it died) — and leases them
     * for {@code lease}, so that instances reconciling at once never take the same one.
     */
    public List<Payment> takeDue(int limit, Duration stale, Duration lease) {
        String sql = "update x402_payment p set status = 'unknown',"
                + " reconcile_at = now() + ?::interval"
                + " from (select chain_id, asset, payer, nonce from x402_payment"
                + "   where (status = 'unknown' and reconcile_at <= now())"
                + "      or (status = 'settling' and updated_at < now() - ?::interval)"
                + "   order by reconcile_at nulls first limit ? for update skip locked) due"
                + " where p.chain_id = due.chain_id and p.asset = due.asset"
                + " and p.payer = due.payer and p.nonce = due.nonce"
                + " returning " + qualified("p");
        return taken(sql, "reading payments to reconcile", interval(lease), interval(stale), limit);
    }

    /** The payments an {@code update … returning} statement took, its parameters bound in order. */
    private List<Payment> taken(String sql, String what, Object... params) {
        List<Payment> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(payment(rs));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(what, e);
        }
    }

    private static String interval(Duration d) {
        return d.toMillis() + " milliseconds";
    }

    /** Makes a leased payment due again at once (its outcome is still unknown). */
    public void dueAgain(Key key) {
        String sql = "update x402_payment set reconcile_at = now()"
                + " where chain_id = ? and asset = ? and payer = ? and nonce = ? and status = 'unknown'";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bindKey(ps, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("rescheduling a payment", e);
        }
    }

    private Optional<Payment> find(Connection c, Key key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from x402_payment"
                + " where chain_id = ? and asset = ? and payer = ? and nonce = ?")) {
            bindKey(ps, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(payment(rs)) : Optional.empty();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reading a payment", e);
        }
    }

    private static String qualified(String alias) {
        return String.join(", ", java.util.Arrays.stream(COLUMNS.split(", "))
                .map(col -> alias + "." + col).toList());
    }

    private Payment payment(ResultSet rs) throws SQLException, JsonProcessingException {
        Key key = new Key(rs.getLong(1), rs.getString(2), Address.of(rs.getString(3)),
                Bytes32.fromHex(rs.getString(4)));
        String receipt = rs.getString(9);
        String envelope = rs.getString(10);
        long reservationId = rs.getLong(11);
        boolean hasReservation = !rs.wasNull() && envelope != null;
        String payload = rs.getString(12);
        String requirement = rs.getString(13);
        long amount = rs.getLong(7);
        return new Payment(key, rs.getString(5), rs.getString(6), amount, rs.getString(8),
                receipt == null ? Optional.empty() : Optional.of((ObjectNode) json.readTree(receipt)),
                hasReservation ? new Reservation(reservationId, Bytes32.fromHex(envelope), key.nonce(),
                        amount, Instant.EPOCH) : null,
                payload == null ? null : json.readTree(payload),
                requirement == null ? null : json.readTree(requirement));
    }

    private static void bindKey(PreparedStatement ps, Key key) throws SQLException {
        ps.setLong(1, key.chainId());
        ps.setString(2, key.asset());
        ps.setString(3, key.payer().lowerHex());
        ps.setString(4, key.nonce().hex());
    }
}
