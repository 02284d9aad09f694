package dev.purser.ledger;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Receipts, signed after the capture committed: the capturing transaction fixes what a receipt
 * says (amount, key, capture entry hash, issuedAt, on the reservation row), so signing holds no
 * lock. The signature (RFC 6979, deterministic) is stored in {@code receipt} by the first read
 * that needs it; whoever signs a receipt, whenever, gets the same bytes.
 */
@ApplicationScoped
class Receipts {

    private static final String CAPTURED = "select r.envelope_id, r.captured, r.idempotency_key,"
            + " r.entry_hash, r.issued_at, r.id, r.entry_seq, rc.signer, rc.signature"
            + " from reservation r left join receipt rc on rc.reservation_id = r.id"
            + " where r.kind = 'draw' and r.state = 'captured' and r.entry_hash is not null";

    private final DataSource db;
    private final ReceiptSigner signer;

    Receipts(DataSource db, ReceiptSigner signer) {
        this.db = db;
        this.signer = signer;
    }

    /**
     * Signs the receipt of a capture that just committed. Not stored here: the hot path pays no
     * extra transaction for it; the first read of it (the journal page, a repeated capture or
     * key) signs it again, identically, and stores it.
     */
    Receipt issue(Bytes32 envelopeId, long amount, Bytes32 key, Bytes32 entryHash,
            long issuedAt) {
        return signer.sign(envelopeId, amount, key, entryHash, issuedAt);
    }

    /** The receipt of the captured draw with this key, signed now if it never was. */
    Optional<Receipt> find(Connection c, Bytes32 envelopeId, Bytes32 key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CAPTURED
                + " and r.envelope_id = ? and r.idempotency_key = ?")) {
            ps.setString(1, envelopeId.hex());
            ps.setString(2, key.hex());
            List<Receipt> found = read(c, ps);
            if (!found.isEmpty()) {
                return Optional.of(found.get(0));
            }
        }
        // Captured before receipts were signed after commit (V10): the receipt row is all.
        try (PreparedStatement ps = c.prepareStatement("select envelope_id, amount,"
                + " idempotency_key, entry_hash, issued_at, signer, signature from receipt"
                + " where envelope_id = ? and idempotency_key = ?")) {
            ps.setString(1, envelopeId.hex());
            ps.setString(2, key.hex());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Receipt(Bytes32.fromHex(rs.getString(1)),
                        rs.getLong(2), Bytes32.fromHex(rs.getString(3)),
                        Bytes32.fromHex(rs.getString(4)), rs.getLong(5),
                        Address.of(rs.getString(6)), rs.getString(7))) : Optional.empty();
            }
        }
    }

    /** The receipts of the captures whose entries are in {@code [fromSeq, toSeq]}. */
    List<Receipt> inRange(Connection c, Bytes32 envelopeId, long fromSeq, long toSeq)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CAPTURED
                + " and r.envelope_id = ? and r.entry_seq between ? and ? order by r.entry_seq")) {
            ps.setString(1, envelopeId.hex());
            ps.setLong(2, fromSeq);
            ps.setLong(3, toSeq);
            return read(c, ps);
        }
    }

    private List<Receipt> read(Connection c, PreparedStatement ps) throws SQLException {
        List<Receipt> out = new ArrayList<>();
        List<Object[]> unsigned = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Bytes32 envelope = Bytes32.fromHex(rs.getString(1));
                long amount = rs.getLong(2);
                Bytes32 key = Bytes32.fromHex(rs.getString(3));
                Bytes32 hash = Bytes32.fromHex(rs.getString(4));
                long issuedAt = rs.getLong(5);
                String signature = rs.getString(9);
                Receipt receipt;
                if (signature == null) {
                    receipt = signer.sign(envelope, amount, key, hash, issuedAt);
                    unsigned.add(new Object[] {receipt, rs.getLong(6), rs.getLong(7)});
                } else {
                    receipt = new Receipt(envelope, amount, key, hash, issuedAt,
                            Address.of(rs.getString(8)), signature);
                }
                out.add(receipt);
            }
        }
        for (Object[] u : unsigned) {
            store(c, (Receipt) u[0], (Long) u[1], (Long) u[2]);
        }
        return out;
    }

    private static void store(Connection c, Receipt receipt, long reservationId, long entrySeq)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into receipt (envelope_id,"
                + " idempotency_key, reservation_id, amount, entry_seq, entry_hash, issued_at,"
                + " signer, signature) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict do nothing")) {
            ps.setString(1, receipt.mandateId().hex());
            ps.setString(2, receipt.idempotencyKey().hex());
            ps.setLong(3, reservationId);
            ps.setLong(4, receipt.amount());
            ps.setLong(5, entrySeq);
            ps.setString(6, receipt.entryHash().hex());
            ps.setLong(7, receipt.issuedAt());
            ps.setString(8, receipt.signer().lowerHex());
            ps.setString(9, receipt.signature());
            ps.executeUpdate();
        }
    }
}
