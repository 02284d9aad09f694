package dev.purser.crypto;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Arrays;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;

/**
 * An EIP-1559 (type 2) contract call, the transaction form Base and every current EVM node accept.
 * Type 2 rather than legacy: its fee cap bounds what the sender can be charged, and its chain id is
 * part of what is signed, so a signed settlement cannot be replayed on another chain.
 *
 * @param chainId EIP-155 chain id the signature commits to
 * @param nonce the sender's account nonce
 * @param maxPriorityFeePerGas tip per gas, wei
 * @param maxFeePerGas cap per gas (base fee + tip), wei
 * @param gasLimit gas units
 * @param to the contract called
 * @param valueWei ether sent along, wei (zero for a token call)
 * @param data call data; copied in and out
 */
public record Eip1559Transaction(long chainId, BigInteger nonce, BigInteger maxPriorityFeePerGas,
        BigInteger maxFeePerGas, BigInteger gasLimit, Address to, BigInteger valueWei, byte[] data) {

    public Eip1559Transaction {
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive");
        }
        for (BigInteger n : new BigInteger[] {nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, valueWei}) {
            if (n == null || n.signum() < 0) {
                throw new IllegalArgumentException("amounts and counters are non-negative integers");
            }
        }
        if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
            throw new IllegalArgumentException("maxPriorityFeePerGas cannot exceed maxFeePerGas");
        }
        Objects.requireNonNull(to, "to");
        data = Objects.requireNonNull(data, "data").clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Signs with {@code key}: the raw bytes to broadcast and the hash the chain will know it by. */
    SignedTransaction signWith(Secp256k1Key key) {
        RawTransaction raw = RawTransaction.createTransaction(chainId, nonce, gasLimit, to.toString(),
                valueWei, Hex.encode(data), maxPriorityFeePerGas, maxFeePerGas);
        // What TransactionEncoder.signMessage does, with Secp256k1Key's signer in place of web3j's
        // (same r, s, v without its recovery loop): keccak of the unsigned type 2 encoding, signed.
        Signature signature = key.sign(Keccak256.hash(TransactionEncoder.encode(raw)));
        byte[] rsv = signature.toBytes();
        Sign.SignatureData signatureData = new Sign.SignatureData(rsv[64],
                Arrays.copyOfRange(rsv, 0, 32), Arrays.copyOfRange(rsv, 32, 64));
        byte[] signed = TransactionEncoder.encode(raw, signatureData);
        return new SignedTransaction(Keccak256.hash(signed), signed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Eip1559Transaction t && chainId == t.chainId && nonce.equals(t.nonce)
                && maxPriorityFeePerGas.equals(t.maxPriorityFeePerGas)
                && maxFeePerGas.equals(t.maxFeePerGas) && gasLimit.equals(t.gasLimit)
                && to.equals(t.to) && valueWei.equals(t.valueWei) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chainId, nonce, gasLimit, to) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Eip1559Transaction[chainId=" + chainId + ", nonce=" + nonce + ", to=" + to
                + ", gasLimit=" + gasLimit + ", data=" + data.length + " bytes]";
    }
}
