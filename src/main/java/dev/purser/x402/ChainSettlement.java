package dev.purser.x402;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.crypto.Address;
import dev.purser.crypto.Eip3009Abi;
import dev.purser.crypto.ServerKey;
import dev.purser.crypto.SignedTransaction;
import dev.purser.money.Asset;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Settles an authorization on chain ({@code PURSER_CHAIN_RPC_URL}): the operator's key sends
 * {@code transferWithAuthorization} to the token and pays the gas. This class writes the order of
 * the steps; each is its own class: the row ({@link SettlementRecords}), sending
 * ({@link TransactionSender}), receipt polling ({@link ReceiptPoller}) and recovery of a recorded
 * transaction ({@link TransactionRecovery}).
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
 */
final class ChainSettlement {

    private static final Logger LOG = Logger.getLogger(ChainSettlement.class);

    private final EvmRpc rpc;
    private final Address operator;
    private final SettlementRecords records;
    private final ReceiptPoller receipts;
    private final TransactionSender sender;
    private final TransactionRecovery recovery;
    private volatile Long checkedChainId;

    ChainSettlement(DataSource db, ObjectMapper json, EvmRpc rpc, ServerKey operator,
            Duration receiptTimeout) {
        this.rpc = rpc;
        this.operator = operator.address();
        this.records = new SettlementRecords(db, json);
        this.receipts = new ReceiptPoller(rpc, receiptTimeout);
        this.sender = new TransactionSender(rpc, operator, records);
        this.recovery = new TransactionRecovery(rpc, operator.address(), receipts, records);
    }

    Address operator() {
        return operator;
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
        SettlementKey key = new SettlementKey(offer.asset(), p);
        try {
            Optional<SettlementRecords.Row> row = records.read(key)
                    .filter(r -> r.payloadHash().equals(payloadHash));
            if (row.isEmpty() || "pending".equals(row.get().status()) && row.get().transaction().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(row.get().transaction().isPresent() && "pending".equals(row.get().status())
                    ? resume(key, row.get().transaction().get()) : SettlementRecords.stored(row.get()));
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
        SettlementKey key = new SettlementKey(offer.asset(), p);
        try {
            Optional<PaymentRefusal> network = checkNetwork(offer.asset());
            if (network.isPresent()) {
                // a misconfigured node is not the payer's fault: refuse, claim nothing
                return SettlementRecords.failed(key, network.get().reason(), null);
            }
            SettlementRecords.Row row = records.claim(key, offer, payloadHash);
            if (!row.payloadHash().equals(payloadHash)) {
                return SettlementRecords.failed(key, "invalid_exact_evm_nonce_already_used", null);
            }
            return switch (row.status()) {
                case "settled" -> new SettleOutcome.Settled(row.response());
                case "failed" -> new SettleOutcome.Failed(row.response(),
                        row.response().path("errorReason").asText("transaction_failed"));
                default -> row.transaction().isPresent() ? resume(key, row.transaction().get())
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
            for (SettlementRecords.Pending row : records.pending(batch, minAge)) {
                if (row.key().isEmpty()) {
                    continue;
                }
                SettlementKey key = row.key().get();
                if (checkNetwork(key.asset()).isPresent()) {
                    LOG.warnf("settlement of %s is on chain %d, the node is another: left pending",
                            key, key.asset().chainId());
                    continue;
                }
                SettleOutcome outcome;
                if (row.transaction().isPresent()) {
                    try {
                        outcome = resume(key, row.transaction().get());
                    } catch (EvmRpcException e) {
                        outcome = SettlementRecords.unknown(row.transaction().get().hash(),
                                "chain node: " + e.getMessage());
                    }
                } else if (key.validBefore().compareTo(BigInteger.valueOf(Instant.now().getEpochSecond())) <= 0) {
                    outcome = records.failUnsent(key);
                } else {
                    outcome = new SettleOutcome.Unknown("nothing sent yet; a settle may still send it");
                }
                if (outcome instanceof SettleOutcome.Unknown u) {
                    records.touch(key); // to the back of the queue
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

    // ---- the steps ------------------------------------------------------------------------------

    /** Checks the chain, then signs, records and broadcasts the one transaction for this authorization. */
    private SettleOutcome send(SettlementKey key, PaymentRequirement offer, PaymentPayload p,
            Eip3009Verifier.Valid valid) throws EvmRpcException, SQLException, JsonProcessingException {
        Optional<PaymentRefusal> refused = checkOnChain(offer, p);
        if (refused.isPresent()) {
            return records.finishFailed(key, refused.get().reason(), null);
        }
        byte[] data = Eip3009Abi.transferWithAuthorization(p.from(), p.to(), p.value(),
                p.validAfter(), p.validBefore(), p.nonce(), valid.signature());
        return transmit(key, Address.of(offer.asset().address()), data, null);
    }

    /** Sends the call ({@code replacing} a superseded transaction, or none) and waits for its receipt. */
    private SettleOutcome transmit(SettlementKey key, Address token, byte[] data, SignedTransaction replacing)
            throws EvmRpcException, SQLException, JsonProcessingException {
        return switch (sender.send(key, token, data, replacing)) {
            case TransactionSender.Done done -> done.outcome();
            case TransactionSender.Lost lost -> {
                // another settle of this payload recorded its transaction first: follow that one
                SettlementRecords.Row now = records.read(key).orElseThrow();
                if (now.transaction().isPresent()) {
                    yield replacing == null ? resume(key, now.transaction().get())
                            : SettlementRecords.unknown(now.transaction().get().hash(),
                                    "replaced meanwhile by another settle");
                }
                yield SettlementRecords.stored(now);
            }
            case TransactionSender.Broadcast broadcast -> {
                SignedTransaction sent = broadcast.tx();
                LOG.infof("settlement of %s sent as %s%s", key, sent.hash(),
                        replacing == null ? "" : " (replacing " + replacing.hash() + ", never mined)");
                Optional<EvmRpc.Receipt> receipt = receipts.await(sent.hash());
                yield receipt.isPresent() ? records.finishMined(key, receipt.get())
                        : SettlementRecords.unknown(sent.hash(), "no receipt within " + receipts.timeout());
            }
        };
    }

    /** A pending row with a recorded transaction: what became of it, replaced if it never can be mined. */
    private SettleOutcome resume(SettlementKey key, SignedTransaction tx)
            throws EvmRpcException, SQLException, JsonProcessingException {
        return switch (recovery.recover(key, tx)) {
            case TransactionRecovery.Answered answered -> answered.outcome();
            case TransactionRecovery.Superseded superseded ->
                    transmit(key, tx.transaction().to(), tx.transaction().data(), tx);
        };
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
}
