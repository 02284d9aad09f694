package dev.purser.x402;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.money.Asset;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** Which task each accepted authorization pays for; the nonce check of x402.md §4 rule 13. */
@ApplicationScoped
public class PaymentClaims {

    /** The outcome of claiming an authorization for a task. */
    public sealed interface Claim {
    }

    /** Ours now: go on. */
    public record Claimed() implements Claim {
    }

    /** Already claimed by this task with this very payload: a retry; here is how it stands. */
    public record Resubmitted(String status, Optional<ObjectNode> receipt) implements Claim {
    }

    /** Used before, by another task or with another payload. */
    public record Duplicate() implements Claim {
    }

    private final DataSource db;
    private final ObjectMapper json;

    public PaymentClaims(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Claim claim(Asset asset, PaymentPayload p, long amount, String taskId, String payloadHash) {
        String insert = "insert into x402_payment (chain_id, asset, payer, nonce, task_id, payload_hash,"
                + " amount, status) values (?, ?, ?, ?, ?, ?, ?, 'verified') on conflict do nothing";
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                bindKey(ps, asset, p);
                ps.setString(5, taskId);
                ps.setString(6, payloadHash);
                ps.setLong(7, amount);
                if (ps.executeUpdate() == 1) {
                    return new Claimed();
                }
            }
            String select = "select task_id, payload_hash, status, receipt::text from x402_payment"
                    + " where chain_id = ? and asset = ? and payer = ? and nonce = ?";
            try (PreparedStatement ps = c.prepareStatement(select)) {
                bindKey(ps, asset, p);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals(taskId) && rs.getString(2).equals(payloadHash)) {
                        String receipt = rs.getString(4);
                        return new Resubmitted(rs.getString(3), receipt == null ? Optional.empty()
                                : Optional.of((ObjectNode) json.readTree(receipt)));
                    }
                    return new Duplicate();
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("claiming a payment", e);
        }
    }

    /** Records how the payment ended (settled, failed, unknown) with the facilitator's answer. */
    public void finish(Asset asset, PaymentPayload p, String status, ObjectNode receipt) {
        String sql = "update x402_payment set status = ?, receipt = ?::json"
                + " where chain_id = ? and asset = ? and payer = ? and nonce = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status);
            ps.setString(2, receipt == null ? null : json.writeValueAsString(receipt));
            ps.setLong(3, asset.chainId());
            ps.setString(4, asset.address().toLowerCase(Locale.ROOT));
            ps.setString(5, p.from().toString());
            ps.setString(6, p.nonce().hex());
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("recording a payment's outcome", e);
        }
    }

    private static void bindKey(PreparedStatement ps, Asset asset, PaymentPayload p) throws SQLException {
        ps.setLong(1, asset.chainId());
        ps.setString(2, asset.address().toLowerCase(Locale.ROOT));
        ps.setString(3, p.from().toString());
        ps.setString(4, p.nonce().hex());
    }
}
