package dev.purser.x402;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.SignedTransaction;
import dev.purser.money.Asset;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The {@code x402_settlement} rows of on-chain settlements, and the answers they hold. Every
 * change is a compare-and-set on a {@code pending} row: one recorded transaction per
 * authorization at a time, and one ending; a settle that loses the race answers what the winner
 * stored.
 */
final class SettlementRecords {

    private static final Logger LOG = Logger.getLogger(SettlementRecords.class);
    private static final String KEY = SettlementKey.WHERE;

    /** A row as a settle sees it; a response once it ended, a transaction once one was recorded. */
    record Row(String payloadHash, String status, ObjectNode response,
            Optional<SignedTransaction> transaction) {
    }

    /** A pending row as the reconciler sees it; no key when its asset is not one Purser knows. */
    record Pending(Optional<SettlementKey> key, Optional<SignedTransaction> transaction) {
    }

    private final DataSource db;
    private final ObjectMapper json;

    SettlementRecords(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Claims the authorization ({@code pending}, nothing sent) unless a row has it already. */
    Row claim(SettlementKey key, PaymentRequirement offer, String payloadHash)
            throws SQLException, JsonProcessingException {
        String sql = "insert into x402_settlement (chain_id, asset, payer, nonce, payload_hash, amount,"
                + " pay_to, valid_before, status) values (?, ?, ?, ?, ?, ?, ?, ?, 'pending')"
                + " on conflict do nothing";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            key.bind(ps, 1);
            ps.setString(5, payloadHash);
            ps.setLong(6, offer.amount());
            ps.setString(7, offer.payTo().toString());
            ps.setBigDecimal(8, new BigDecimal(key.validBefore()));
            ps.executeUpdate();
        }
        return read(key).orElseThrow(() -> new SQLException("the claimed settlement row is gone"));
    }

    Optional<Row> read(SettlementKey key) throws SQLException, JsonProcessingException {
        String sql = "select payload_hash, status, response::text, raw_tx from x402_settlement where" + KEY;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            key.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String response = rs.getString(3);
                String raw = rs.getString(4);
                return Optional.of(new Row(rs.getString(1), rs.getString(2),
                        response == null ? null : (ObjectNode) json.readTree(response),
                        raw == null ? Optional.empty() : Optional.of(SignedTransaction.fromHex(raw))));
            }
        }
    }

    /**
     * Records the transaction if the row still holds what the caller saw ({@code replacing}, or no
     * transaction): the compare-and-set that keeps one transaction per authorization.
     */
    boolean recordTransaction(SettlementKey key, SignedTransaction tx, SignedTransaction replacing)
            throws SQLException {
        String sql = "update x402_settlement set tx_hash = ?, raw_tx = ?, updated_at = now()"
                + " where" + KEY + " and status = 'pending' and "
                + (replacing == null ? "tx_hash is null" : "tx_hash = ?");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tx.hash().hex());
            ps.setString(2, tx.rawHex());
            key.bind(ps, 3);
            if (replacing != null) {
                ps.setString(7, replacing.hash().hex());
            }
            return ps.executeUpdate() == 1;
        }
    }

    /** Fails a pending row with nothing sent; if a transaction was recorded meanwhile, that one decides. */
    SettleOutcome failUnsent(SettlementKey key) throws SQLException, JsonProcessingException {
        ObjectNode r = failed(key, "invalid_exact_evm_payload_authorization_valid_before", null).response();
        String sql = "update x402_settlement set status = 'failed', response = ?::json, updated_at = now()"
                + " where" + KEY + " and status = 'pending' and tx_hash is null";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, json.writeValueAsString(r));
            key.bind(ps, 2);
            if (ps.executeUpdate() == 1) {
                return new SettleOutcome.Failed(r, r.path("errorReason").asText());
            }
        }
        return stored(read(key).orElseThrow());
    }

    /** Sends a pending row to the back of the reconciler's queue. */
    void touch(SettlementKey key) throws SQLException {
        String sql = "update x402_settlement set updated_at = now() where" + KEY + " and status = 'pending'";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            key.bind(ps, 1);
            ps.executeUpdate();
        }
    }

    /** Up to {@code batch} pending rows untouched for {@code minAge}, oldest first. */
    List<Pending> pending(int batch, Duration minAge) throws SQLException {
        String sql = "select chain_id, asset, payer, nonce, amount, valid_before, raw_tx from x402_settlement"
                + " where status = 'pending' and valid_before is not null"
                + " and updated_at < now() - make_interval(secs => ?) order by updated_at limit ?";
        List<Pending> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setDouble(1, minAge.toMillis() / 1000.0);
            ps.setInt(2, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long chainId = rs.getLong(1);
                    String token = rs.getString(2);
                    Optional<Asset> asset = Asset.usdcOn("eip155:" + chainId).filter(a -> a.isToken(token));
                    Optional<SettlementKey> key = Optional.empty();
                    if (asset.isPresent()) {
                        key = Optional.of(new SettlementKey(asset.get(), Address.of(rs.getString(3)),
                                Bytes32.fromHex(rs.getString(4)), BigInteger.valueOf(rs.getLong(5)),
                                rs.getBigDecimal(6).toBigIntegerExact()));
                    } else {
                        LOG.warnf("pending settlement in unknown asset %s on chain %d: left alone", token, chainId);
                    }
                    String raw = rs.getString(7);
                    rows.add(new Pending(key, raw == null ? Optional.empty()
                            : Optional.of(SignedTransaction.fromHex(raw))));
                }
            }
        }
        return rows;
    }

    /** The node refused the recorded transaction: it never existed on chain, so forget it; failed. */
    SettleOutcome refused(SettlementKey key, SignedTransaction tx, String why)
            throws SQLException, JsonProcessingException {
        ObjectNode r = failed(key, "unexpected_settle_error", null).response();
        r.putObject("extensions").putObject("purser").put("onChain", false).put("detail", why);
        String sql = "update x402_settlement set status = 'failed', response = ?::json, tx_hash = null,"
                + " raw_tx = null, updated_at = now() where" + KEY + " and status = 'pending' and tx_hash = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, json.writeValueAsString(r));
            key.bind(ps, 2);
            ps.setString(6, tx.hash().hex());
            if (ps.executeUpdate() == 1) {
                return new SettleOutcome.Failed(r, "unexpected_settle_error");
            }
        }
        return stored(read(key).orElseThrow());
    }

    /** Ends a pending row by the mined transaction's receipt. */
    SettleOutcome finishMined(SettlementKey key, EvmRpc.Receipt receipt)
            throws SQLException, JsonProcessingException {
        if (!receipt.succeeded()) {
            return finishFailed(key, "transaction_failed", receipt.transactionHash());
        }
        if (!ReceiptPoller.usedTheAuthorization(key, receipt)) {
            // status 1 without the token's event: not the transfer we asked for
            return finishFailed(key, "invalid_transaction_state", receipt.transactionHash());
        }
        ObjectNode r = EmbeddedFacilitator.settleResponse(true, null, receipt.transactionHash().hex(),
                key.asset().network(), key.payer().checksummed());
        r.put("amount", key.amount().toString());
        r.putObject("extensions").putObject("purser").put("onChain", true)
                .put("blockNumber", receipt.blockNumber().toString());
        return finish(key, "settled", r);
    }

    /** Ends a pending row as failed; {@code tx}, when not null, is the mined transaction to name. */
    SettleOutcome finishFailed(SettlementKey key, String reason, Bytes32 tx)
            throws SQLException, JsonProcessingException {
        return finish(key, "failed", failed(key, reason, tx).response());
    }

    /** Ends a pending row; if another settle ended it first, its answer stands. */
    private SettleOutcome finish(SettlementKey key, String status, ObjectNode response)
            throws SQLException, JsonProcessingException {
        String sql = "update x402_settlement set status = ?, response = ?::json, updated_at = now()"
                + " where" + KEY + " and status = 'pending'";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status);
            ps.setString(2, json.writeValueAsString(response));
            key.bind(ps, 3);
            if (ps.executeUpdate() == 1) {
                return "settled".equals(status) ? new SettleOutcome.Settled(response)
                        : new SettleOutcome.Failed(response, response.path("errorReason").asText());
            }
        }
        return stored(read(key).orElseThrow());
    }

    // ---- answers --------------------------------------------------------------------------------

    /** The answer a row holds, or unknown while it is pending. */
    static SettleOutcome stored(Row row) {
        return switch (row.status) {
            case "settled" -> new SettleOutcome.Settled(row.response);
            case "failed" -> new SettleOutcome.Failed(row.response, row.response.path("errorReason").asText());
            default -> new SettleOutcome.Unknown("another settlement of this authorization is under way");
        };
    }

    /** A failure answer, not recorded; {@code tx}, when not null, names the reverted transaction. */
    static SettleOutcome.Failed failed(SettlementKey key, String reason, Bytes32 tx) {
        ObjectNode r = EmbeddedFacilitator.settleResponse(false, reason, "", key.asset().network(),
                key.payer().checksummed());
        if (tx != null) {
            // x402 leaves transaction "" on failure; a reverted one is still worth naming
            r.putObject("extensions").putObject("purser").put("onChain", true).put("transaction", tx.hex());
        }
        return new SettleOutcome.Failed(r, reason);
    }

    static SettleOutcome unknown(Bytes32 tx, String why) {
        return new SettleOutcome.Unknown(why + " for transaction " + tx + "; the settlement stays pending");
    }
}
