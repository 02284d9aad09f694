package dev.purser.mandate;

import dev.purser.crypto.Bytes32;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The signed documents of registered mandates ({@code mandate_document}). Proof, not money: the
 * envelope in the ledger is the account; this keeps what it was opened from, so that a child can
 * be checked against its parent's signed terms and a revocation against the principal. Writes
 * are idempotent by id (the mandate id is a digest of the signed terms).
 */
@ApplicationScoped
class MandateStore {

    private static final String COLUMNS =
            "id, form, principal, agent, skills, recurrence, document, verified_at";

    private final DataSource db;

    MandateStore(DataSource db) {
        this.db = db;
    }

    /** A registered mandate's row. */
    record Stored(Bytes32 id, MandateForm form, String principal, String agent,
            List<String> skills, Optional<Recurrence> recurrence, String document,
            Instant verifiedAt) {
    }

    /** Keeps {@code mandate}'s document; a second save of the same id keeps the first. */
    void save(Mandate mandate, Instant verifiedAt) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into mandate_document ("
                        + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing")) {
            ps.setString(1, mandate.id().hex());
            ps.setString(2, mandate.form().wire());
            ps.setString(3, mandate.principal().id());
            ps.setString(4, mandate.agent().id());
            ps.setArray(5, c.createArrayOf("text", mandate.skills().toArray()));
            ps.setString(6, mandate.recurrence().map(Recurrence::wire).orElse(null));
            ps.setString(7, RequestJson.write(mandate.document()));
            ps.setTimestamp(8, Timestamp.from(verifiedAt));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new MandateStoreException("saving mandate " + mandate.id(), e);
        }
    }

    Optional<Stored> find(Bytes32 id) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                        + " from mandate_document where id = ?")) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new MandateStoreException("reading mandate " + id, e);
        }
    }

    /**
     * Mandates of a principal and/or agent (each null = any), in id order after {@code after}
     * (null = from the start), at most {@code limit}.
     */
    List<Stored> list(String principal, String agent, Bytes32 after, int limit) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                        + " from mandate_document where (?::text is null or principal = ?)"
                        + " and (?::text is null or agent = ?) and id > ? order by id limit ?")) {
            ps.setString(1, principal);
            ps.setString(2, principal);
            ps.setString(3, agent);
            ps.setString(4, agent);
            ps.setString(5, after == null ? "" : after.hex());
            ps.setInt(6, limit);
            List<Stored> page = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    page.add(stored(rs));
                }
            }
            return page;
        } catch (SQLException e) {
            throw new MandateStoreException("listing mandates", e);
        }
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        String recurrence = rs.getString("recurrence");
        return new Stored(Bytes32.fromHex(rs.getString("id")), form(rs.getString("form")),
                rs.getString("principal"), rs.getString("agent"),
                Arrays.asList((String[]) rs.getArray("skills").getArray()),
                Optional.ofNullable(recurrence)
                        .map(r -> Recurrence.valueOf(r.toUpperCase(Locale.ROOT))),
                rs.getString("document"), rs.getTimestamp("verified_at").toInstant());
    }

    private static MandateForm form(String wire) {
        for (MandateForm form : MandateForm.values()) {
            if (form.wire().equals(wire)) {
                return form;
            }
        }
        throw new IllegalStateException("mandate_document.form " + wire + " is not a form");
    }

    /** The database failed: an outage or a bug, never an answer to a client. */
    static final class MandateStoreException extends RuntimeException {
        MandateStoreException(String what, SQLException cause) {
            super("mandate store: " + what + " failed (SQLState " + cause.getSQLState() + ")",
                    cause);
        }
    }
}
