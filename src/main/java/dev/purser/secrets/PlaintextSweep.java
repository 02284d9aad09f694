package dev.purser.secrets;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * At start-up, seals every value of a {@link SealedColumn} still in plain text (rows written
 * before sealing existed). Each row is updated only if it still holds the plaintext read, so
 * instances starting together on one database seal each value once. Also warns when values are
 * sealed by a key this instance does not have, which would fail only when they are used.
 */
@ApplicationScoped
class PlaintextSweep {

    private static final Logger LOG = Logger.getLogger(PlaintextSweep.class);
    private static final int BATCH = 500;

    private final DataSource db;
    private final ColumnSecrets secrets;
    private final Instance<SealedColumn> columns;

    PlaintextSweep(DataSource db, ColumnSecrets secrets, Instance<SealedColumn> columns) {
        this.db = db;
        this.secrets = secrets;
        this.columns = columns;
    }

    void start(@Observes StartupEvent ev) {
        for (SealedColumn column : columns) {
            try {
                int sealed = sweep(column);
                if (sealed > 0) {
                    LOG.infof("sealed %d plaintext value(s) of %s.%s", sealed, column.table(),
                            column.column());
                }
                long foreign = foreign(column);
                if (foreign > 0) {
                    LOG.warnf("%d value(s) of %s.%s are sealed by another key than this instance's"
                            + " (%s): give every instance the same PURSER_SECRETS_KEY", foreign,
                            column.table(), column.column(), secrets.keyId());
                }
            } catch (SQLException e) {
                // Reads take plaintext as it is, so the next start finishes the job.
                LOG.warnf("could not seal the plaintext values of %s.%s: %s", column.table(),
                        column.column(), e.getMessage());
            }
        }
    }

    /** Seals plaintext values, a batch at a time; how many it sealed. */
    int sweep(SealedColumn c) throws SQLException {
        String keys = String.join(", ", c.key());
        String select = "select " + keys + ", " + c.column() + " from " + c.table() + " where "
                + c.column() + " is not null and " + c.column() + " not like '"
                + SecretBox.PREFIX + "%' limit " + BATCH;
        String update = "update " + c.table() + " set " + c.column() + " = ? where "
                + String.join(" and ", c.key().stream().map(k -> k + " = ?").toList()) + " and "
                + c.column() + " = ?";
        int total = 0;
        try (Connection conn = db.getConnection()) {
            while (true) {
                List<List<String>> rows = new ArrayList<>();
                try (PreparedStatement ps = conn.prepareStatement(select);
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= c.key().size() + 1; i++) {
                            row.add(rs.getString(i));
                        }
                        rows.add(row);
                    }
                }
                if (rows.isEmpty()) {
                    return total;
                }
                try (PreparedStatement ps = conn.prepareStatement(update)) {
                    for (List<String> row : rows) {
                        List<String> key = row.subList(0, c.key().size());
                        String plaintext = row.get(c.key().size());
                        ps.setString(1, secrets.sealFor(c, plaintext, key));
                        for (int i = 0; i < key.size(); i++) {
                            ps.setString(2 + i, key.get(i));
                        }
                        ps.setString(2 + key.size(), plaintext);
                        total += ps.executeUpdate();
                    }
                }
                if (rows.size() < BATCH) {
                    return total;
                }
            }
        }
    }

    private long foreign(SealedColumn c) throws SQLException {
        String sql = "select count(*) from " + c.table() + " where " + c.column() + " like '"
                + SecretBox.PREFIX + "%' and " + c.column() + " not like ?";
        try (Connection conn = db.getConnection();
                PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, SecretBox.PREFIX + secrets.keyId() + ":%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
