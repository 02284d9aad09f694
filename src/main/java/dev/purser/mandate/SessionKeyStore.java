package dev.purser.mandate;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code session_key} table: keys by the SHA-256 of their secret, never the secret. What is
 * live is decided in the statement that reads it, against the database's clock, like the
 * ledger's expiry.
 */
@ApplicationScoped
class SessionKeyStore {

    private static final String COLUMNS =
            "id, mandate_id, agent, label, expires_at, nonce, revoked_at";

    private final DataSource db;

    SessionKeyStore(DataSource db) {
        this.db = db;
    }

    /** A key's row; {@code revokedAt} empty while it is not revoked. */
    record Row(String id, Bytes32 mandateId, Address agent, String label, Instant expiresAt,
            Bytes32 nonce, Optional<Instant> revokedAt) {
    }

    /**
     * Inserts a new key; false (and nothing written) when the mandate already has a key made
     * with this nonce — the same signed document again.
     */
    boolean insert(Row row, Bytes32 hash) {
        return update("creating a session key", "insert into session_key (id, mandate_id, agent,"
                + " hash, label, expires_at, nonce) values (?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (mandate_id, nonce) do nothing", ps -> {
                    ps.setString(1, row.id());
                    ps.setString(2, row.mandateId().hex());
                    ps.setString(3, row.agent().checksummed());
                    ps.setString(4, hash.hex());
                    ps.setString(5, row.label());
                    ps.setTimestamp(6, Timestamp.from(row.expiresAt()));
                    ps.setString(7, row.nonce().hex());
                }) == 1;
    }

    /** The key whose secret hashes to {@code hash}, if it is neither revoked nor expired. */
    Optional<Row> live(Bytes32 hash) {
        return one("authenticating a session key", "select " + COLUMNS + " from session_key"
                + " where hash = ? and revoked_at is null and expires_at > now()",
                ps -> ps.setString(1, hash.hex()));
    }

    /** The key the mandate's document with {@code nonce} created. */
    Optional<Row> byNonce(Bytes32 mandateId, Bytes32 nonce) {
        return one("reading a session key", "select " + COLUMNS + " from session_key"
                + " where mandate_id = ? and nonce = ?", ps -> {
                    ps.setString(1, mandateId.hex());
                    ps.setString(2, nonce.hex());
                });
    }

    Optional<Row> find(Bytes32 mandateId, String id) {
        return one("reading a session key", "select " + COLUMNS + " from session_key"
                + " where mandate_id = ? and id = ?", ps -> {
                    ps.setString(1, mandateId.hex());
                    ps.setString(2, id);
                });
    }

    /** Revokes the key (once: a second revocation keeps the first instant); its row after. */
    Optional<Row> revoke(Bytes32 mandateId, String id) {
        return one("revoking a session key", "update session_key"
                + " set revoked_at = coalesce(revoked_at, now())"
                + " where mandate_id = ? and id = ? returning " + COLUMNS, ps -> {
                    ps.setString(1, mandateId.hex());
                    ps.setString(2, id);
                });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String what, String sql, Binder binder) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new MandateStore.MandateStoreException(what, e);
        }
    }

    private Optional<Row> one(String what, String sql, Binder binder) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new MandateStore.MandateStoreException(what, e);
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new Row(rs.getString("id"), Bytes32.fromHex(rs.getString("mandate_id")),
                Address.of(rs.getString("agent")), rs.getString("label"),
                rs.getTimestamp("expires_at").toInstant(),
                Bytes32.fromHex(rs.getString("nonce")),
                Optional.ofNullable(revoked).map(Timestamp::toInstant));
    }
}
