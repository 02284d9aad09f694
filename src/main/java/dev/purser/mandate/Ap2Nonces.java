package dev.purser.mandate;

import dev.purser.crypto.Bytes32;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The single use of AP2 closed-mandate nonces ({@code ap2_closed_mandate}): the first closed
 * mandate to present a nonce on a mandate takes it, in one statement whose unique key settles
 * any race; that closed mandate may come again for the same purpose (a retried request), any
 * other may not.
 */
@ApplicationScoped
class Ap2Nonces {

    private final DataSource db;

    Ap2Nonces(DataSource db) {
        this.db = db;
    }

    /**
     * Takes {@code nonce} on {@code mandateId} for the closed mandate {@code closedHash} paying
     * task {@code taskId} (null: a direct draw). True if it is this closed mandate's, for this
     * task: now, or already.
     */
    boolean take(Bytes32 mandateId, String nonce, Bytes32 closedHash, String taskId) {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into ap2_closed_mandate"
                    + " (mandate_id, nonce, closed_hash, task_id) values (?, ?, ?, ?)"
                    + " on conflict (mandate_id, nonce) do nothing")) {
                ps.setString(1, mandateId.hex());
                ps.setString(2, nonce);
                ps.setString(3, closedHash.hex());
                ps.setString(4, taskId);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select closed_hash, task_id from"
                    + " ap2_closed_mandate where mandate_id = ? and nonce = ?")) {
                ps.setString(1, mandateId.hex());
                ps.setString(2, nonce);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && closedHash.hex().equals(rs.getString(1))
                            && Objects.equals(taskId, rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ap2_closed_mandate: taking a nonce failed (SQLState "
                    + e.getSQLState() + ")", e);
        }
    }

    /**
     * Gives back the nonce the closed mandate {@code closedHash} took for {@code taskId} (null: a
     * direct draw), when what it was taken for was refused before any money moved: a refused
     * closed mandate has paid nothing, so its nonce is not spent.
     */
    void release(Bytes32 closedHash, String taskId) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from ap2_closed_mandate"
                        + " where closed_hash = ? and task_id is not distinct from ?")) {
            ps.setString(1, closedHash.hex());
            ps.setString(2, taskId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("ap2_closed_mandate: giving a nonce back failed"
                    + " (SQLState " + e.getSQLState() + ")", e);
        }
    }
}
