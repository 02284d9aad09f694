package dev.purser.x402;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import java.time.Duration;
import java.util.Optional;

/**
 * Waits for a transaction's receipt, asking the node again at growing intervals up to a bound,
 * and tells whether a receipt is the transfer settlement asked for.
 */
final class ReceiptPoller {

    /** keccak256("AuthorizationUsed(address,bytes32)"), x402.md §2. */
    static final Bytes32 AUTHORIZATION_USED = Bytes32.fromHex(
            "0x98de503528ee59b575ef0c0a2576a82497bfc029a5685b209e9ec333479b10a5");

    private static final Duration FIRST_POLL = Duration.ofMillis(100);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(1);

    private final EvmRpc rpc;
    private final Duration timeout;

    ReceiptPoller(EvmRpc rpc, Duration timeout) {
        this.rpc = rpc;
        this.timeout = timeout;
    }

    /** How long {@link #await} waits. */
    Duration timeout() {
        return timeout;
    }

    /** The receipt of {@code hash}, or empty when it is not mined within the timeout (or interrupted). */
    Optional<EvmRpc.Receipt> await(Bytes32 hash) throws EvmRpcException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            Optional<EvmRpc.Receipt> receipt = rpc.receipt(hash);
            if (receipt.isPresent()) {
                return receipt;
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

    /** Whether the receipt carries the token's {@code AuthorizationUsed} for this authorization. */
    static boolean usedTheAuthorization(SettlementKey key, EvmRpc.Receipt receipt) {
        Address token = Address.of(key.asset().address());
        Bytes32 authorizer = word(key.payer());
        return receipt.logs().stream().anyMatch(l -> l.address().equals(token)
                && l.topics().size() == 3 && l.topics().get(0).equals(AUTHORIZATION_USED)
                && l.topics().get(1).equals(authorizer) && l.topics().get(2).equals(key.nonce()));
    }

    private static Bytes32 word(Address a) {
        byte[] w = new byte[32];
        System.arraycopy(a.bytes(), 0, w, 12, 20);
        return new Bytes32(w);
    }
}
