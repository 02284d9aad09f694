package dev.purser.x402;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Eip1559Transaction;
import dev.purser.crypto.Eip3009Abi;
import dev.purser.crypto.ServerKey;
import dev.purser.crypto.SignedTransaction;
import dev.purser.money.Asset;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Settles an authorization on chain ({@code PURSER_CHAIN_RPC_URL}): the operator's key sends
 * {@code transferWithAuthorization} to the token and pays the gas.
 *
 * <p>Exactly once, across timeouts, crashes and retries, by these rules. The authorization is
 * claimed in {@code x402_settlement} ({@code pending}) before anything reaches the chain. The
 * signed transaction is recorded before it is broadcast, under a compare-and-set on the row, so an
 * authorization has one recorded transaction at a time; its hash is known before the node sees it.
 * A later settle of a pending row, or the {@link #reconcile reconciler} after a crash, never builds
 * a new call: it looks for the recorded transaction's receipt, broadcasts the same bytes again (the
 * same hash, so it cannot be mined twice), and otherwise answers {@link SettleOutcome.Unknown}
 * until the receipt, or an authorization that expired unused, decides it. Only a recorded
 * transaction that can never be mined (never broadcast, and its operator nonce since taken by a
 * mined one) is replaced: the same call under a new nonce, compare-and-set on the old hash. And
 * the token itself marks the authorization used, so no transaction could move the money twice.
 *
 * <p>Sending is serialised in this instance (nonce, sign, record, broadcast), so two settlements
 * here never take the same operator nonce; several instances sharing one operator key would need
 * the nonce coordinated in the database, which this does not do.
 */
final class ChainSettlement {

    /** keccak256("AuthorizationUsed(address,bytes32)"), x402.md §2. */
    static final Bytes32 AUTHORIZATION_USED = Bytes32.fromHex(
            "0x98de503528ee59b575ef0c0a2576a82497bfc029a5685b209e9ec333479b10a5");

    private static final Logger LOG = Logger.getLogger(ChainSettlement.class);
    private static final Duration FIRST_POLL = Duration.ofMillis(100);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(1);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final DataSource db;
    private final ObjectMapper json;
    private final EvmRpc rpc;
    private final ServerKey operator;
    private final Duration receiptTimeout;
    private final Object sending = new Object();
    private volatile Long checkedChainId;

    ChainSettlement(DataSource db, ObjectMapper json, EvmRpc rpc, ServerKey operator,
            Duration receiptTimeout) {
        this.db = db;
        this.json = json;
        this.rpc = rpc;
        this.operator = operator;
        this.receiptTimeout = receiptTimeout;
    }

    Address operator() {
        return operator.address();
    }

    /** The what-the-payload-cannot-tell checks: x402.md §4 rules 14 (nonce unused) and 15 (balance). */
    Optional<PaymentRefusal> checkOnChain(PaymentRequirement offer, PaymentPayload p) throws EvmRpcException {
        Optional<PaymentRefusal> network = checkNetwork(offer.asset());
        if (network.isPresent()) {
            return network;
        }
        Address token = Address.of(offer.asset().address());
        if (Eip3009Abi.decodeBool(rpc.call(token, Eip3009Abi.authorizationState(p.from(), p.nonce())))) {
            return Optional.of(PaymentRefusal.of("invalid_exact_evm_nonce_already_used",
                    X402Error.DUPLICATE_NONCE, "the token has already used this authorization"));
        }
        BigInteger balance = Eip3009Abi.decodeUint256(rpc.call(token, Eip3009Abi.balanceOf(p.from())));
        if (balance.compareTo(p.value()) < 0) {
            return Optional.of(PaymentRefusal.of("insufficient_funds", X402Error.INSUFFICIENT_FUNDS,
                    "the payer holds " + balance + " atomic units, the payment is " + p.value()));
        }
        return Optional.empty();
    }

    /**
     * The same payload settled before: its stored answer, or (pending with a transaction) what
     * became of that transaction. Asked before the payload is re-verified, since an authorization
     * that expired since does not undo a transfer that may already be mined. Empty when there is no
     * such row, or one with nothing sent yet.
     */
    Optional<SettleOutcome> settledBefore(PaymentRequirement offer, PaymentPayload p, String payloadHash) {
        Key key = new Key(offer.asset(), p);
        try {
            Optional<Row> row = read(key).filter(r -> r.payloadHash.equals(payloadHash));
            if (row.isEmpty() || "pending".equals(row.get().status) && row.get().transaction.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(row.get().transaction.isPresent() && "pending".equals(row.get().status)
                    ? resume(key, row.get().transaction.get()) : stored(row.get()));
        } catch (EvmRpcException e) {
            LOG.warnf("settlement of %s pending: %s", key, e.getMessage());
            return Optional.of(new SettleOutcome.Unknown("chain node: " + e.getMessage()));
        } catch (SQLException | JsonProcessingException e) {
            LOG.errorf(e, "settlement of %s: storage failed", key);
            return Optional.of(new SettleOutcome.Unknown("could not read the settlement"));
        }
    }

    SettleOutcome settle(PaymentRequirement offer, PaymentPayload p, Eip3009Verifier.Valid valid,
            String payloadHash) {
        Key key = new Key(offer.asset(), p);
        try {
            Optional<PaymentRefusal> network = checkNetwork(offer.asset());
            if (network.isPresent()) {
                // a misconfigured node is not the payer's fault: refuse, claim nothing
                return failed(key, network.get().reason(), null);
            }
            Row row = claim(key, offer, payloadHash);
            if (!row.payloadHash.equals(payloadHash)) {
                return failed(key, "invalid_exact_evm_nonce_already_used", null);
            }
            return switch (row.status) {
                case "settled" -> new SettleOutcome.Settled(row.response);
                case "failed" -> new SettleOutcome.Failed(row.response,
                        row.response.path("errorReason").asText("transaction_failed"));
                default -> row.transaction.isPresent() ? resume(key, row.transaction.get())
                        : send(key, offer, p, valid);
            };
        } catch (EvmRpcException e) {
            LOG.warnf("settlement of %s pending: %s", key, e.getMessage());
            return new SettleOutcome.Unknown("chain node: " + e.getMessage());
        } catch (SQLException | JsonProcessingException e) {
            LOG.errorf(e, "settlement of %s pending: storage failed", key);
            return new SettleOutcome.Unknown("could not record the settlement");
        }
    }

    // ---- the steps ------------------------------------------------------------------------------

    /** Checks the chain, then signs, records and broadcasts the one transaction for this authorization. */
    private SettleOutcome send(Key key, PaymentRequirement offer, PaymentPayload p,
            Eip3009Verifier.Valid valid) throws EvmRpcException, SQLException, JsonProcessingException {
        Optional<PaymentRefusal> refused = checkOnChain(offer, p);
        if (refused.isPresent()) {
            return finishFailed(key, refused.get().reason(), null);
        }
        byte[] data = Eip3009Abi.transferWithAuthorization(p.from(), p.to(), p.value(),
                p.validAfter(), p.validBefore(), p.nonce(), valid.signature());
        return transmit(key, Address.of(offer.asset().address()), data, null);
    }

    /**
     * Signs the call under the operator's next nonce, records it (compare-and-set: against no
     * transaction, or against the superseded one being {@code replacing}), broadcasts it and waits
     * for its receipt. Nothing is broadcast that was not recorded first.
     */
    private SettleOutcome transmit(Key key, Address token, byte[] data, SignedTransaction replacing)
            throws EvmRpcException, SQLException, JsonProcessingException {
        SignedTransaction tx;
        synchronized (sending) {
            BigInteger gas;
            try {
                gas = rpc.estimateGas(operator.address(), token, data);
            } catch (EvmRpcException e) {
                if (!e.answered()) {
                    throw e;
                }
                // the node ran it and it reverts: nothing (more) was sent, and nothing would move
                LOG.infof("settlement of %s would revert: %s", key, e.getMessage());
                return finishFailed(key, "invalid_exact_evm_transaction_simulation_failed", null);
            }
            EvmRpc.Block latest = rpc.latestBlock();
            BigInteger baseFee = latest.baseFeePerGas().orElseThrow(() ->
                    EvmRpcException.noAnswer("the node reports no base fee (no EIP-1559)", null));
            BigInteger tip = priorityFee(baseFee);
            // twice the base fee absorbs six full blocks of base-fee rises; the cap is what we risk
            BigInteger maxFee = baseFee.shiftLeft(1).add(tip);
            // a margin over the estimate: state (and so gas) can change before inclusion
            BigInteger gasLimit = gas.add(gas.divide(BigInteger.valueOf(5)));
            tx = operator.sign(new Eip1559Transaction(key.asset.chainId(),
                    rpc.pendingNonce(operator.address()), tip, maxFee, gasLimit, token,
                    BigInteger.ZERO, data));
            if (!recordTransaction(key, tx, replacing)) {
                tx = null;
            } else {
                try {
                    rpc.sendRawTransaction(tx);
                } catch (EvmRpcException e) {
                    if (!e.answered()) {
                        // in the pool or never sent, no telling: the recorded one is resumed later
                        LOG.warnf("settlement of %s: broadcast of %s unanswered: %s", key, tx.hash(),
                                e.getMessage());
                        return unknown(tx.hash(), "broadcast unanswered (" + e.getMessage() + ")");
                    }
                    if (!e.getMessage().contains("already known")) {
                        // the node refused this transaction outright, so it cannot be mined
                        LOG.warnf("settlement of %s refused by the node: %s", key, e.getMessage());
                        return refused(key, tx, e.getMessage());
                    }
                }
            }
        }
        if (tx == null) {
            // another settle of this payload recorded its transaction first: follow that one
            Row now = read(key).orElseThrow();
            if (now.transaction.isPresent()) {
                return replacing == null ? resume(key, now.transaction.get())
                        : unknown(now.transaction.get().hash(), "replaced meanwhile by another settle");
            }
            return stored(now);
        }
        SignedTransaction sent = tx;
        LOG.infof("settlement of %s sent as %s%s", key, sent.hash(),
                replacing == null ? "" : " (replacing " + replacing.hash() + ", never mined)");
        return awaitReceipt(key, sent.hash())
                .orElseGet(() -> unknown(sent.hash(), "no receipt within " + receiptTimeout));
    }

    /** A pending row with a recorded transaction: find out what became of that one transaction. */
    private SettleOutcome resume(Key key, SignedTransaction tx)
            throws EvmRpcException, SQLException, JsonProcessingException {
        Optional<EvmRpc.Receipt> receipt = rpc.receipt(tx.hash());
        if (receipt.isPresent()) {
            return finishFromReceipt(key, receipt.get());
        }
        boolean rejected = false;
        try {
            // not mined: perhaps never broadcast (a crash) or dropped from the pool; the same bytes
            rpc.sendRawTransaction(tx);
        } catch (EvmRpcException e) {
            if (!e.answered()) {
                throw e;
            }
            // "already known" (still pooled), or "nonce too low" (superseded), among others
            rejected = true;
            LOG.debugf("rebroadcast of %s: %s", tx.hash(), e.getMessage());
        }
        Optional<SettleOutcome> mined = awaitReceipt(key, tx.hash());
        if (mined.isPresent()) {
            return mined.get();
        }
        Address token = Address.of(key.asset.address());
        boolean used = Eip3009Abi.decodeBool(rpc.call(token,
                Eip3009Abi.authorizationState(key.payer, key.nonce)));
        if (used) {
            // moved, yet no receipt for our transaction (yet): only that receipt can tell
            return unknown(tx.hash(), "the authorization is used but this transaction has no receipt");
        }
        if (rpc.latestBlock().timestampSeconds() >= key.validBefore.min(LONG_MAX).longValue()) {
            // the token refuses it from now on (block time >= validBefore): nothing can ever move
            return finishFailed(key, "invalid_transaction_state", tx.hash());
        }
        if (rejected && superseded(tx)) {
            return transmit(key, tx.transaction().to(), tx.transaction().data(), tx);
        }
        return unknown(tx.hash(), "still no receipt");
    }

    /**
     * Whether {@code tx} can never be mined: the operator's mined nonce has passed its nonce, and
     * (asked after that) it has no receipt, so another transaction took its place in the sequence.
     */
    private boolean superseded(SignedTransaction tx) throws EvmRpcException {
        BigInteger nonce = tx.transaction().nonce();
        return rpc.minedNonce(operator.address()).compareTo(nonce) > 0 && rpc.receipt(tx.hash()).isEmpty();
    }

    // ---- reconciliation ---------------------------------------------------------------------------

    /**
     * Resolves settlements still pending after a crash, a timeout or a lost answer, oldest first,
     * leaving alone those touched within {@code minAge} (a settle may be at work on them): a
     * recorded transaction as {@link #resume} does; a row with nothing sent fails once its
     * authorization has expired, since no settle could still send it (recording requires the row
     * pending and no transaction). Returns how many settlements it ended.
     */
    int reconcile(int batch, Duration minAge) {
        int ended = 0;
        try {
            for (Pending row : pending(batch, minAge)) {
                if (row.key.isEmpty()) {
                    continue;
                }
                Key key = row.key.get();
                if (checkNetwork(key.asset).isPresent()) {
                    LOG.warnf("settlement of %s is on chain %d, the node is another: left pending",
                            key, key.asset.chainId());
                    continue;
                }
                SettleOutcome outcome;
                if (row.transaction.isPresent()) {
                    try {
                        outcome = resume(key, row.transaction.get());
                    } catch (EvmRpcException e) {
                        outcome = unknown(row.transaction.get().hash(), "chain node: " + e.getMessage());
                    }
                } else if (key.validBefore.compareTo(BigInteger.valueOf(Instant.now().getEpochSecond())) <= 0) {
                    outcome = failUnsent(key);
                } else {
                    outcome = new SettleOutcome.Unknown("nothing sent yet; a settle may still send it");
                }
                if (outcome instanceof SettleOutcome.Unknown u) {
                    touch(key); // to the back of the queue
                    LOG.debugf("settlement of %s still pending: %s", key, u.reason());
                } else {
                    ended++;
                    LOG.infof("settlement of %s reconciled: %s", key,
                            outcome instanceof SettleOutcome.Settled ? "settled" : "failed");
                }
            }
        } catch (EvmRpcException e) {
            LOG.warnf("reconciling settlements: chain node: %s", e.getMessage());
        } catch (SQLException | JsonProcessingException e) {
            LOG.errorf(e, "reconciling settlements: storage failed");
        }
        return ended;
    }

    private Optional<SettleOutcome> awaitReceipt(Key key, Bytes32 hash)
            throws EvmRpcException, SQLException, JsonProcessingException {
        long deadline = System.nanoTime() + receiptTimeout.toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            Optional<EvmRpc.Receipt> receipt = rpc.receipt(hash);
            if (receipt.isPresent()) {
                return Optional.of(finishFromReceipt(key, receipt.get()));
            }
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : pause.multipliedBy(2);
        }
    }

    private SettleOutcome finishFromReceipt(Key key, EvmRpc.Receipt receipt)
            throws SQLException, JsonProcessingException {
        if (!receipt.succeeded()) {
            return finishFailed(key, "transaction_failed", receipt.transactionHash());
        }
        if (!usedTheAuthorization(key, receipt)) {
            // status 1 without the token's event: not the transfer we asked for
            return finishFailed(key, "invalid_transaction_state", receipt.transactionHash());
        }
        ObjectNode r = EmbeddedFacilitator.settleResponse(true, null, receipt.transactionHash().hex(),
                key.asset.network(), key.payer.checksummed());
        r.put("amount", key.amount.toString());
        r.putObject("extensions").putObject("purser").put("onChain", true)
                .put("blockNumber", receipt.blockNumber().toString());
        return finish(key, "settled", r);
    }

    private static boolean usedTheAuthorization(Key key, EvmRpc.Receipt receipt) {
        Address token = Address.of(key.asset.address());
        Bytes32 authorizer = word(key.payer);
        return receipt.logs().stream().anyMatch(l -> l.address().equals(token)
                && l.topics().size() == 3 && l.topics().get(0).equals(AUTHORIZATION_USED)
                && l.topics().get(1).equals(authorizer) && l.topics().get(2).equals(key.nonce));
    }

    private static Bytes32 word(Address a) {
        byte[] w = new byte[32];
        System.arraycopy(a.bytes(), 0, w, 12, 20);
        return new Bytes32(w);
    }

    private BigInteger priorityFee(BigInteger baseFee) throws EvmRpcException {
        try {
            return rpc.maxPriorityFeePerGas();
        } catch (EvmRpcException e) {
            if (!e.answered()) {
                throw e;
            }
            // a node without eth_maxPriorityFeePerGas: what its gas price says beyond the base fee
            return rpc.gasPrice().subtract(baseFee).max(BigInteger.ZERO);
        }
    }

    private Optional<PaymentRefusal> checkNetwork(Asset asset) throws EvmRpcException {
        if (checkedChainId == null) {
            checkedChainId = rpc.chainId();
        }
        if (checkedChainId != asset.chainId()) {
            return Optional.of(PaymentRefusal.of("invalid_network", X402Error.NETWORK_MISMATCH,
                    "the chain node is chain " + checkedChainId + ", the payment is for " + asset.network()));
        }
        return Optional.empty();
    }

    private SettleOutcome unknown(Bytes32 tx, String why) {
        return new SettleOutcome.Unknown(why + " for transaction " + tx + "; the settlement stays pending");
    }

    private SettleOutcome failed(Key key, String reason, Bytes32 tx) {
        ObjectNode r = EmbeddedFacilitator.settleResponse(false, reason, "", key.asset.network(),
                key.payer.checksummed());
        if (tx != null) {
            // x402 leaves transaction "" on failure; a reverted one is still worth naming
            r.putObject("extensions").putObject("purser").put("onChain", true).put("transaction", tx.hex());
        }
        return new SettleOutcome.Failed(r, reason);
    }

    private SettleOutcome finishFailed(Key key, String reason, Bytes32 tx)
            throws SQLException, JsonProcessingException {
        return finish(key, "failed", ((SettleOutcome.Failed) failed(key, reason, tx)).response());
    }

    // ---- the row --------------------------------------------------------------------------------

    /** The authorization: what the token marks used, and so our primary key. */
    private record Key(Asset asset, Address payer, Bytes32 nonce, BigInteger amount, BigInteger validBefore) {

        Key(Asset asset, PaymentPayload p) {
            this(asset, p.from(), p.nonce(), p.value(), p.validBefore());
        }

        void bind(PreparedStatement ps, int first) throws SQLException {
            ps.setLong(first, asset.chainId());
            ps.setString(first + 1, asset.address().toLowerCase(Locale.ROOT));
            ps.setString(first + 2, payer.toString());
            ps.setString(first + 3, nonce.hex());
        }

        @Override
        public String toString() {
            return payer + "/" + nonce;
        }
    }

    private record Row(String payloadHash, String status, ObjectNode response,
            Optional<SignedTransaction> transaction) {
    }

    private static final String KEY = " chain_id = ? and asset = ? and payer = ? and nonce = ?";

    private Row claim(Key key, PaymentRequirement offer, String payloadHash) throws SQLException, JsonProcessingException {
        String sql = "insert into x402_settlement (chain_id, asset, payer, nonce, payload_hash, amount,"
                + " pay_to, valid_before, status) values (?, ?, ?, ?, ?, ?, ?, ?, 'pending')"
                + " on conflict do nothing";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            key.bind(ps, 1);
            ps.setString(5, payloadHash);
            ps.setLong(6, offer.amount());
            ps.setString(7, offer.payTo().toString());
            ps.setBigDecimal(8, new BigDecimal(key.validBefore));
            ps.executeUpdate();
        }
        return read(key).orElseThrow(() -> new SQLException("the claimed settlement row is gone"));
    }

    private Optional<Row> read(Key key) throws SQLException, JsonProcessingException {
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
    private boolean recordTransaction(Key key, SignedTransaction tx, SignedTransaction replacing)
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
    private SettleOutcome failUnsent(Key key) throws SQLException, JsonProcessingException {
        ObjectNode r = ((SettleOutcome.Failed) failed(key, "invalid_exact_evm_payload_authorization_valid_before",
                null)).response();
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

    private void touch(Key key) throws SQLException {
        String sql = "update x402_settlement set updated_at = now() where" + KEY + " and status = 'pending'";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            key.bind(ps, 1);
            ps.executeUpdate();
        }
    }

    /** A pending row as the reconciler sees it; no key when its asset is not one Purser knows. */
    private record Pending(Optional<Key> key, Optional<SignedTransaction> transaction) {
    }

    private List<Pending> pending(int batch, Duration minAge) throws SQLException {
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
                    Optional<Key> key = Optional.empty();
                    if (asset.isPresent()) {
                        key = Optional.of(new Key(asset.get(), Address.of(rs.getString(3)),
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
    private SettleOutcome refused(Key key, SignedTransaction tx, String why)
            throws SQLException, JsonProcessingException {
        ObjectNode r = ((SettleOutcome.Failed) failed(key, "unexpected_settle_error", null)).response();
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

    /** Ends a pending row; if another settle ended it first, its answer stands. */
    private SettleOutcome finish(Key key, String status, ObjectNode response)
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

    private static SettleOutcome stored(Row row) {
        return switch (row.status) {
            case "settled" -> new SettleOutcome.Settled(row.response);
            case "failed" -> new SettleOutcome.Failed(row.response, row.response.path("errorReason").asText());
            default -> new SettleOutcome.Unknown("another settlement of this authorization is under way");
        };
    }
}
