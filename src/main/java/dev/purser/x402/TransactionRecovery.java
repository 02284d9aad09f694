package dev.purser.x402;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.purser.crypto.Address;
import dev.purser.crypto.Eip3009Abi;
import dev.purser.crypto.SignedTransaction;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Finds out what became of a recorded transaction whose outcome is not known (a crash, a lost
 * answer, a receipt too late): its receipt, else the same bytes broadcast again (the same hash, so
 * it cannot be mined twice), else what the token and the chain say. Never builds a new call: only
 * a transaction that can never be mined (refused on rebroadcast, its operator nonce since taken by
 * a mined one) is reported {@link Superseded}, for the caller to send again under a new nonce.
 */
final class TransactionRecovery {

    /** What recovery found. */
    sealed interface Found {
    }

    /** The settlement's answer: ended by a receipt or by expiry, or still unknown. */
    record Answered(SettleOutcome outcome) implements Found {
    }

    /** The transaction can never be mined: the same call must go under a new nonce. */
    record Superseded() implements Found {
    }

    private static final Logger LOG = Logger.getLogger(TransactionRecovery.class);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final EvmRpc rpc;
    private final Address operator;
    private final ReceiptPoller receipts;
    private final SettlementRecords records;

    TransactionRecovery(EvmRpc rpc, Address operator, ReceiptPoller receipts, SettlementRecords records) {
        this.rpc = rpc;
        this.operator = operator;
        this.receipts = receipts;
        this.records = records;
    }

    /** A pending row with a recorded transaction: what became of that one transaction. */
    Found recover(SettlementKey key, SignedTransaction tx)
            throws EvmRpcException, SQLException, JsonProcessingException {
        Optional<EvmRpc.Receipt> receipt = rpc.receipt(tx.hash());
        if (receipt.isPresent()) {
            return new Answered(records.finishMined(key, receipt.get()));
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
        Optional<EvmRpc.Receipt> mined = receipts.await(tx.hash());
        if (mined.isPresent()) {
            return new Answered(records.finishMined(key, mined.get()));
        }
        Address token = Address.of(key.asset().address());
        boolean used = Eip3009Abi.decodeBool(rpc.call(token,
                Eip3009Abi.authorizationState(key.payer(), key.nonce())));
        if (used) {
            // moved, yet no receipt for our transaction (yet): only that receipt can tell
            return new Answered(SettlementRecords.unknown(tx.hash(),
                    "the authorization is used but this transaction has no receipt"));
        }
        if (rpc.latestBlock().timestampSeconds() >= key.validBefore().min(LONG_MAX).longValue()) {
            // the token refuses it from now on (block time >= validBefore): nothing can ever move
            return new Answered(records.finishFailed(key, "invalid_transaction_state", tx.hash()));
        }
        if (rejected && superseded(tx)) {
            return new Superseded();
        }
        return new Answered(SettlementRecords.unknown(tx.hash(), "still no receipt"));
    }

    /**
     * Whether {@code tx} can never be mined: the operator's mined nonce has passed its nonce, and
     * (asked after that) it has no receipt, so another transaction took its place in the sequence.
     */
    private boolean superseded(SignedTransaction tx) throws EvmRpcException {
        BigInteger nonce = tx.transaction().nonce();
        return rpc.minedNonce(operator).compareTo(nonce) > 0 && rpc.receipt(tx.hash()).isEmpty();
    }
}
