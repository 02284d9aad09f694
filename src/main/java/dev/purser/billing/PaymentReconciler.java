package dev.purser.billing;

import dev.purser.ledger.Receipt;
import dev.purser.task.TaskService;
import dev.purser.x402.Facilitator;
import dev.purser.x402.SettleOutcome;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Settles the question of payments whose settlement outcome is unknown (a facilitator timeout,
 * or an instance that died while settling), every {@code PURSER_RECONCILE_INTERVAL} on every
 * instance: asks the facilitator again by nonce ({@link Facilitator#reconcile}); when it answers
 * paid, captures the reservation and completes the task; when it answers that it will never be
 * paid, releases the reservation and fails the task; otherwise asks again next time. Each step
 * is idempotent (a capture answers the same receipt, a task that has ended is left alone, the
 * payment row is marked last), so a crash between steps only repeats them. Payments are leased
 * per instance, so two instances never reconcile the same one at once.
 */
@ApplicationScoped
class PaymentReconciler {

    private static final Logger LOG = Logger.getLogger(PaymentReconciler.class);
    private static final int BATCH = 50;

    private final TaskPayments payments;
    private final Facilitator facilitator;
    private final Capture capture;
    private final TaskService tasks;
    private final BillingConfig config;

    PaymentReconciler(TaskPayments payments, Facilitator facilitator, Capture capture,
            TaskService tasks, BillingConfig config) {
        this.payments = payments;
        this.facilitator = facilitator;
        this.capture = capture;
        this.tasks = tasks;
        this.config = config;
    }

    @Scheduled(every = "${purser.reconcile-interval:10s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcileDue() {
        try {
            // a payment left settling this long had its instance die mid-settle
            Duration twice = config.settleTimeout().multipliedBy(2);
            Duration stale = config.settlingStale().compareTo(twice) > 0 ? config.settlingStale()
                    : twice;
            // the lease outlasts one facilitator call, so no other instance asks meanwhile
            Duration lease = config.settleTimeout().plusSeconds(30);
            List<TaskPayments.Payment> due = payments.takeDue(BATCH, stale, lease);
            for (TaskPayments.Payment p : due) {
                reconcile(p);
            }
            for (TaskPayments.Payment p : payments.takeStale(BATCH, config.workStale())) {
                if (!workStored(p.taskId())) {
                    if (payments.abandon(p.key())) {
                        abandon(p);
                    }
                } else if (payments.startSettling(p.key())) {
                    reconcile(p); // the work was stored and its hold kept: settle it now
                }
            }
        } catch (RuntimeException e) {
            // The next run tries again; every step below is safe to repeat.
            LOG.warn("Reconciling pending payments failed", e);
        }
    }

    /**
     * True when the task's work was stored for settlement before its instance stopped (its status
     * says settling): the buyer's payment is then due, exactly as if the instance had gone on.
     */
    private boolean workStored(String taskId) {
        AtomicBoolean stored = new AtomicBoolean();
        tasks.resume(taskId, ctx -> stored.set(PaidTaskMessages.isSettling(ctx.task())));
        return stored.get();
    }

    /**
     * A payment verified but never taken to settlement (its instance stopped before storing its
     * work): the task fails, its reservation returns to the mandate; nothing was settled, nothing is charged.
     */
    void abandon(TaskPayments.Payment p) {
        capture.release(p.reservation());
        tasks.resume(p.taskId(), ctx -> ctx.fail(PaidTaskMessages.failure(PaymentRefusals.abandoned(),
                List.of())));
        LOG.infof("payment %s of %s (task %s) abandoned before settlement: task failed, nothing"
                + " charged", p.key().nonce(), p.key().payer(), p.taskId());
    }

    void reconcile(TaskPayments.Payment p) {
        if (p.payload() == null || p.requirement() == null) {
            LOG.errorf("payment %s of %s (task %s) has an unknown outcome and no stored payload;"
                    + " resolve it by hand", p.key().nonce(), p.key().payer(), p.taskId());
            return;
        }
        switch (facilitator.reconcile(p.payload(), p.requirement())) {
            case SettleOutcome.Settled s -> {
                Optional<Receipt> drawn = capture.capture(p.reservation(), p.amount(),
                        p.key().nonce() + " of " + p.key().payer());
                tasks.resume(p.taskId(), ctx -> ctx.complete(PaidTaskMessages.completion(s.response(),
                        drawn)));
                payments.mark(p.key(), "settled", s.response());
                LOG.infof("payment %s of %s (task %s) reconciled: settled", p.key().nonce(),
                        p.key().payer(), p.taskId());
            }
            case SettleOutcome.Failed f -> {
                capture.release(p.reservation());
                tasks.resume(p.taskId(), ctx -> ctx.fail(PaidTaskMessages.failure(
                        PaymentRefusals.settleFailure(f), List.of(f.response()))));
                payments.mark(p.key(), "failed", f.response());
                LOG.infof("payment %s of %s (task %s) reconciled: not paid (%s)", p.key().nonce(),
                        p.key().payer(), p.taskId(), f.reason());
            }
            case SettleOutcome.Unknown u -> {
                payments.dueAgain(p.key());
                LOG.infof("payment %s of %s (task %s) still unknown: %s", p.key().nonce(),
                        p.key().payer(), p.taskId(), u.reason());
            }
        }
    }
}
