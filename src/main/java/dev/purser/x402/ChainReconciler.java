package dev.purser.x402;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Every {@code PURSER_CHAIN_RECONCILE_INTERVAL}, resolves on-chain settlements whose outcome is
 * not known (a crash between recording and broadcasting, a receipt that came too late, a lost
 * answer) from the one recorded transaction, so no outcome waits for a client to ask again. Safe on
 * every instance at once: each ending is a compare-and-set on the pending row, and a rebroadcast is
 * the same transaction.
 */
@ApplicationScoped
class ChainReconciler {

    /** Rows per run; each may wait up to the receipt timeout. */
    static final int BATCH = 20;

    private final EmbeddedFacilitator facilitator;
    /** A row younger than this may have a settle waiting on its receipt: left to that settle. */
    private final Duration minAge;

    ChainReconciler(EmbeddedFacilitator facilitator, X402Config config) {
        this.facilitator = facilitator;
        this.minAge = Duration.ofSeconds(config.chainReceiptTimeoutSeconds());
    }

    @Scheduled(every = "${purser.chain-reconcile-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        reconcile();
    }

    /** One pass; how many settlements it ended. */
    int reconcile() {
        return facilitator.reconcilePending(BATCH, minAge);
    }
}
