package dev.purser.ledger;

import dev.purser.crypto.Bytes32;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * Storing envelope policies (V13): both rules, the latest {@code issuedAt} wins and a child is
 * never looser than its parent, are in the one UPDATE of {@code ledger_set_policy}; a child
 * starts with its parent's policy ({@code ledger_inherit_policy}) in the transaction that opens
 * it.
 */
final class PolicyWrites {

    private PolicyWrites() {
    }

    /** Stores {@code policy} on the envelope; a refusal, or empty when it is now in force. */
    static Optional<Refused> set(Connection c, Bytes32 id, EnvelopePolicy policy)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select ledger_set_policy(?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id.hex());
            ps.setLong(2, policy.dailyMax());
            ps.setInt(3, policy.ratePerMinute());
            ps.setInt(4, policy.concurrency());
            ps.setInt(5, policy.loopPerMinute());
            // Empty means the server's setting, which the columns spell null.
            ps.setArray(6, policy.softLimits().isEmpty() ? null
                    : c.createArrayOf("int4", policy.softLimits().toArray()));
            ps.setString(7, policy.webhook().isEmpty() ? null : policy.webhook());
            ps.setLong(8, policy.issuedAt());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String outcome = rs.getString(1);
                return "set".equals(outcome) ? Optional.empty()
                        : Optional.of(Refused.of(Refusal.valueOf(
                                outcome.toUpperCase(Locale.ROOT))));
            }
        }
    }

    /** A new child's policy: its parent's, tightened by any limits it was opened with. */
    static void inherit(Connection c, Bytes32 child) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select ledger_inherit_policy(?)")) {
            ps.setString(1, child.hex());
            ps.execute();
        }
    }
}
