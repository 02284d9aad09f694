package dev.purser.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;

/**
 * A signed transaction, ready for {@code eth_sendRawTransaction}. The hash is keccak-256 of the
 * raw bytes, which is the id the chain gives it: known before sending, so it can be recorded
 * first and the same transaction (never a new one) broadcast again after a crash.
 *
 * @param hash the transaction hash
 * @param raw the signed, encoded transaction; copied in and out
 */
public record SignedTransaction(Bytes32 hash, byte[] raw) {

    public SignedTransaction {
        Objects.requireNonNull(hash, "hash");
        raw = Objects.requireNonNull(raw, "raw").clone();
        if (!hash.equals(Keccak256.hash(raw))) {
            throw new IllegalArgumentException("hash is not keccak-256 of raw");
        }
    }

    /** From recorded {@code 0x} hex (the hash is recomputed, so it cannot disagree). */
    public static SignedTransaction fromHex(String rawHex) {
        byte[] raw = Hex.decode(rawHex);
        return new SignedTransaction(Keccak256.hash(raw), raw);
    }

    /**
     * What was signed, decoded back from the raw bytes: a recorded transaction that can no longer
     * be mined is replaced by one with the same call and a new nonce, never by a new call.
     *
     * @throws IllegalArgumentException unless the bytes are an EIP-1559 transaction
     */
    public Eip1559Transaction transaction() {
        RawTransaction raw;
        try {
            raw = TransactionDecoder.decode(rawHex());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a decodable transaction", e);
        }
        if (!(raw.getTransaction() instanceof Transaction1559 t)) {
            throw new IllegalArgumentException("not an EIP-1559 transaction: " + raw.getType());
        }
        return new Eip1559Transaction(t.getChainId(), t.getNonce(), t.getMaxPriorityFeePerGas(),
                t.getMaxFeePerGas(), t.getGasLimit(), Address.of(t.getTo()), t.getValue(),
                Hex.decode(t.getData().startsWith("0x") ? t.getData() : "0x" + t.getData()));
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public String rawHex() {
        return Hex.encode(raw);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedTransaction t && Arrays.equals(raw, t.raw);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "SignedTransaction[" + hash + "]";
    }
}
