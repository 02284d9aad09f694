package dev.purser.x402;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.purser.crypto.Address;
import dev.purser.crypto.Eip1559Transaction;
import dev.purser.crypto.ServerKey;
import dev.purser.crypto.SignedTransaction;
import java.math.BigInteger;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Sends a settlement's transaction: prices it (gas estimate, EIP-1559 fees), signs it under the
 * operator's next nonce, records it and only then broadcasts it. Serialised in this instance, so
 * two settlements here never take the same operator nonce; several instances sharing one operator
 * key would need the nonce coordinated in the database, which this does not do.
 */
final class TransactionSender {

    /** What one send came to. */
    sealed interface Sent {
    }

    /** Recorded and broadcast (or already known to the node): its receipt decides. */
    record Broadcast(SignedTransaction tx) implements Sent {
    }

    /** Another settle of the authorization recorded its transaction first: nothing was sent. */
    record Lost() implements Sent {
    }

    /** The answer already: it would revert, the node refused it, or the broadcast went unanswered. */
    record Done(SettleOutcome outcome) implements Sent {
    }

    private static final Logger LOG = Logger.getLogger(TransactionSender.class);

    private final EvmRpc rpc;
    private final ServerKey operator;
    private final SettlementRecords records;
    private final Object sending = new Object();

    TransactionSender(EvmRpc rpc, ServerKey operator, SettlementRecords records) {
        this.rpc = rpc;
        this.operator = operator;
        this.records = records;
    }

    /**
     * Signs the call under the operator's next nonce, records it (compare-and-set: against no
     * transaction, or against the superseded one being {@code replacing}) and broadcasts it.
     * Nothing is broadcast that was not recorded first.
     */
    Sent send(SettlementKey key, Address token, byte[] data, SignedTransaction replacing)
            throws EvmRpcException, SQLException, JsonProcessingException {
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
                return new Done(records.finishFailed(key,
                        "invalid_exact_evm_transaction_simulation_failed", null));
            }
            EvmRpc.Block latest = rpc.latestBlock();
            BigInteger baseFee = latest.baseFeePerGas().orElseThrow(() ->
                    EvmRpcException.noAnswer("the node reports no base fee (no EIP-1559)", null));
            BigInteger tip = priorityFee(baseFee);
            // twice the base fee absorbs six full blocks of base-fee rises; the cap is what we risk
            BigInteger maxFee = baseFee.shiftLeft(1).add(tip);
            // a margin over the estimate: state (and so gas) can change before inclusion
            BigInteger gasLimit = gas.add(gas.divide(BigInteger.valueOf(5)));
            SignedTransaction tx = operator.sign(new Eip1559Transaction(key.asset().chainId(),
                    rpc.pendingNonce(operator.address()), tip, maxFee, gasLimit, token,
                    BigInteger.ZERO, data));
            if (!records.recordTransaction(key, tx, replacing)) {
                return new Lost();
            }
            try {
                rpc.sendRawTransaction(tx);
            } catch (EvmRpcException e) {
                if (!e.answered()) {
                    // in the pool or never sent, no telling: the recorded one is resumed later
                    LOG.warnf("settlement of %s: broadcast of %s unanswered: %s", key, tx.hash(),
                            e.getMessage());
                    return new Done(SettlementRecords.unknown(tx.hash(),
                            "broadcast unanswered (" + e.getMessage() + ")"));
                }
                if (!e.getMessage().contains("already known")) {
                    // the node refused this transaction outright, so it cannot be mined
                    LOG.warnf("settlement of %s refused by the node: %s", key, e.getMessage());
                    return new Done(records.refused(key, tx, e.getMessage()));
                }
            }
            return new Broadcast(tx);
        }
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
}
