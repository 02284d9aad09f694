package dev.purser.delegation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The payments Purser made to providers ({@code provider_payment}): one per task and provider,
 * recorded before it is sent. PostgreSQL's primary key is the rule that a provider is paid at most
 * once per task: a second record is refused, and then nothing is sent.
 */
@ApplicationScoped
public class ProviderPayments {

    /** A recorded payment: {@code status} is {@code sent}, {@code settled} or {@code failed}. */
    public record Paid(String providerId, Bytes32 nonce, long amount, String status,
            String providerTaskId) {
    }

    private final DataSource db;

    ProviderPayments(DataSource db) {
        this.db = db;
    }

    /** Records a payment about to be sent; false when this task paid this provider already. */
    boolean record(String taskId, String providerId, Bytes32 nonce, long amount) {
        return update("insert into provider_payment (task_id, provider_id, nonce, amount, status)"
                + " values (?, ?, ?, ?, 'sent') on conflict do nothing",
                taskId, providerId, nonce.hex(), amount) == 1;
    }

    /** How the provider answered the payment: settled (its receipt says so) or failed. */
    void conclude(String taskId, String providerId, String providerTaskId, boolean settled,
            ObjectNode receipt) {
        update("update provider_payment set status = ?, provider_task_id = ?, receipt = ?::json,"
                + " updated_at = now() where task_id = ? and provider_id = ? and status = 'sent'",
                settled ? "settled" : "failed", providerTaskId,
                receipt == null ? null : receipt.toString(), taskId, providerId);
    }

    /** What task {@code taskId} paid providers (at most one payment each). */
    public List<Paid> of(String taskId) {
        String sql = "select provider_id, nonce, amount, status, provider_task_id"
                + " from provider_payment where task_id = ? order by created_at";
        List<Paid> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Paid(rs.getString(1), Bytes32.fromHex(rs.getString(2)),
                            rs.getLong(3), rs.getString(4), rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading provider payments", e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording a provider payment", e);
        }
    }
}
