package dev.purser.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.Task;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import dev.purser.crypto.Jcs;
import dev.purser.crypto.Sha256;
import dev.purser.ledger.CaptureResult;
import dev.purser.ledger.DrawContext;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Receipt;
import dev.purser.ledger.Refusal;
import dev.purser.ledger.Refused;
import dev.purser.ledger.ReleaseResult;
import dev.purser.ledger.Reservation;
import dev.purser.ledger.ReserveResult;
import dev.purser.market.Skill;
import dev.purser.task.TaskContext;
import dev.purser.x402.Eip3009Verifier;
import dev.purser.x402.Facilitator;
import dev.purser.x402.PaymentPayload;
import dev.purser.x402.PaymentRefusal;
import dev.purser.x402.PaymentRequirement;
import dev.purser.x402.SettleOutcome;
import dev.purser.x402.X402Error;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The paid-task flow of DESIGN §3 (standalone x402). Without a payment the task waits in
 * input-required with the requirements. With one, in this order: the mandate named in
 * {@code purser.mandate_id} is checked (payer = its agent, skill in scope, same asset) and the
 * price reserved on its envelope, the authorization's nonce as the key; the authorization is
 * verified and claimed (one authorization pays one task); the work runs; the payment settles;
 * the reservation is captured; the task completes with the receipts. Any failure before
 * settlement releases the reservation and ends the task failed with the extension's error code.
 * An unknown settlement outcome keeps the reservation (marked so the sweeper leaves it), leaves
 * the task working with {@code purser.settlement: pending}, and {@link PaymentReconciler} settles
 * the question by nonce — never paid twice, never released blindly. The same payment sent again
 * for its task gets the task as that payment left it ({@link #isRepeat}).
 */
@ApplicationScoped
public class PaymentGate {

    /** Where a client names the envelope to draw (DESIGN §3, §8). */
    public static final String MANDATE_KEY = "purser.mandate_id";
    /** {@code pending} while the settlement outcome is unknown; {@code settling} while asked. */
    public static final String SETTLEMENT_KEY = "purser.settlement";
    /** The ledger's signed receipt of the envelope draw (DESIGN §8 "Ledger and receipts"). */
    public static final String LEDGER_RECEIPT_KEY = "purser.receipt";
    /** The machine reason behind {@code x402.payment.error} (spec reason or ledger code). */
    public static final String REASON_KEY = "purser.reason";

    private static final Logger LOG = Logger.getLogger(PaymentGate.class);

    /**
     * How long a verified payment's work may run before settlement starts. Past it, the
     * reconciler takes the instance for dead and fails the task; nothing is settled after that.
     */
    static final Duration WORK_STALE = Duration.ofMinutes(10);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** How long to wait for a concurrent request holding the same nonce to claim or drop it. */
    private static final int IN_FLIGHT_POLLS = 50;
    private static final long IN_FLIGHT_POLL_MILLIS = 100;

    private final PaymentTerms terms;
    private final TaskPayments payments;
    private final Facilitator facilitator;
    private final Envelopes envelopes;
    private final BillingConfig config;
    private final Clock clock = Clock.systemUTC();

    public PaymentGate(PaymentTerms terms, TaskPayments payments, Facilitator facilitator,
            Envelopes envelopes, BillingConfig config) {
        this.terms = terms;
        this.payments = payments;
        this.facilitator = facilitator;
        this.envelopes = envelopes;
        this.config = config;
    }

    /**
     * True when {@code message} submits a payment this task already received: the task as that
     * payment left it is the answer (DESIGN §8), with no second reservation or settlement.
     */
    public boolean isRepeat(Task task, Message message) {
        JsonNode payload = submittedPayload(message);
        if (payload == null) {
            return false;
        }
        return task.history().stream().filter(m -> m.role() == Role.USER)
                .anyMatch(m -> payload.equals(submittedPayload(m)));
    }

    /** Runs {@code work} (which adds artifacts) once the skill's price is paid. */
    public void run(TaskContext ctx, Skill skill, Runnable work) {
        Optional<PaymentRequirement> offer = offered(ctx).or(() -> terms.requirementFor(skill));
        if (offer.isEmpty()) {
            ctx.reject("Skill " + skill.id() + " has no price payable on this network; refusing"
                    + " rather than working for free");
            return;
        }
        ObjectNode md = ctx.message().metadata();
        String status = md == null ? null : md.path(X402Metadata.STATUS).asText(null);
        if ("payment-rejected".equals(status)) {
            ctx.fail(agent("The client declined to pay.", meta("payment-rejected")));
            return;
        }
        if (!"payment-submitted".equals(status)) {
            askForPayment(ctx, offer.get());
            return;
        }
        JsonNode payloadJson = md.get(X402Metadata.PAYLOAD);
        PaymentPayload payload;
        switch (PaymentPayload.parse(payloadJson)) {
            case PaymentPayload.Refused r -> {
                failed(ctx, r.refusal(), List.of());
                return;
            }
            case PaymentPayload.Parsed p -> payload = p.payload();
        }
        PaymentRequirement requirement = offer.get();
        String taskId = ctx.task().id();
        TaskPayments.Key key = TaskPayments.Key.of(requirement.asset(), payload);
        String hash = Sha256.hash(Jcs.canonicalBytes(payloadJson)).hex();

        // 1. The mandate's checks, then the reservation (whose guards run in its own statement).
        Reservation reservation = null;
        Optional<String> mandate = mandateId(ctx);
        if (mandate.isEmpty() && config.requireMandate()) {
            failed(ctx, mandateRefused("mandate_required", "this server takes payments drawn from a"
                    + " registered mandate only: name it in message.metadata." + MANDATE_KEY), List.of());
            return;
        }
        if (mandate.isPresent()) {
            switch (draw(skill, requirement, payload, mandate.get(), key, taskId, hash)) {
                case Drawn d -> reservation = d.reservation();
                case Refuse r -> {
                    failed(ctx, r.refusal(), List.of());
                    return;
                }
                case Repeat r -> {
                    ctx.answerAsStored();
                    return;
                }
            }
        }

        // 2. Verify: every local rule, then the nonce (claimed for this task), then the facilitator.
        if (Eip3009Verifier.verify(payload, requirement, clock.instant())
                instanceof Eip3009Verifier.Invalid invalid) {
            release(reservation);
            failed(ctx, invalid.refusal(), List.of());
            return;
        }
        JsonNode requirementJson = requirement.toJson(payload.x402Version());
        switch (payments.claim(key, taskId, hash, requirement.amount(), reservation, payloadJson,
                requirementJson)) {
            case TaskPayments.Duplicate d -> {
                release(reservation);
                failed(ctx, PaymentRefusal.of("invalid_exact_evm_nonce_already_used",
                        X402Error.DUPLICATE_NONCE, "this authorization's nonce was used before"), List.of());
                return;
            }
            case TaskPayments.Resubmitted r -> {
                // The same payment for this task, taken by a request ahead of this one: its answer
                // is ours. We could reserve only because that request let its reservation go
                // (it failed before settlement), so what we hold is ours to give back.
                release(reservation);
                ctx.answerAsStored();
                return;
            }
            case TaskPayments.Claimed c -> {
                // ours: go on
            }
        }
        ObjectNode verdict = facilitator.verify(payloadJson, requirementJson);
        if (!verdict.path("isValid").asBoolean(false)) {
            String reason = verdict.path("invalidReason").asText("unexpected_verify_error");
            release(reservation);
            payments.mark(key, "failed", null);
            failed(ctx, PaymentRefusal.of(reason, X402Error.forReason(reason, X402Error.INVALID_SIGNATURE),
                    "the facilitator refused the payment: "
                            + verdict.path("invalidMessage").asText(reason)), List.of());
            return;
        }
        ctx.working(agent("Payment verified; working.", meta("payment-verified")));
        if (!ctx.checkpoint()) {
            canceled(key, reservation);
            return;
        }

        // 3. The work.
        try {
            work.run();
        } catch (RuntimeException e) {
            String ref = UUID.randomUUID().toString();
            LOG.errorf(e, "paid skill %s failed before settlement (ref %s)", skill.id(), ref);
            release(reservation);
            payments.mark(key, "failed", null);
            failed(ctx, PaymentRefusal.of("work_failed", X402Error.SETTLEMENT_FAILED,
                    "the skill failed before the payment was settled; nothing was charged (ref " + ref + ")"),
                    List.of());
            return;
        }
        if (ctx.isCanceled()) {
            canceled(key, reservation);
            return;
        }

        // 4. Settle. From here the money may move: the reservation stays until the outcome is known.
        if (reservation != null && envelopes.markSettlementUnknown(reservation) instanceof Refused r) {
            payments.mark(key, "failed", null);
            failed(ctx, PaymentRefusal.of(r.reason().code(), X402Error.MANDATE_REFUSED,
                    "the reservation on the mandate ended before settlement (" + r.message()
                            + "); nothing was charged"), List.of());
            return;
        }
        if (!payments.startSettling(key)) {
            // The reconciler took this work for abandoned (it ran past WORK_STALE): not settled.
            releaseAfterFailure(reservation);
            failed(ctx, abandoned(), List.of());
            return;
        }
        ObjectNode settling = meta("payment-verified");
        settling.put(SETTLEMENT_KEY, "settling");
        ctx.working(agent("Work done; settling the payment.", settling));
        ctx.checkpoint(); // the artifacts are stored before the money moves
        switch (facilitator.settle(payloadJson, requirementJson)) {
            case SettleOutcome.Settled s -> {
                Optional<Receipt> drawn = capture(reservation, requirement.amount(), key);
                ctx.complete(completion(s.response(), drawn));
                ctx.checkpoint();
                payments.mark(key, "settled", s.response());
            }
            case SettleOutcome.Failed f -> {
                release(reservation);
                failed(ctx, settleFailure(f), List.of(f.response()));
                ctx.checkpoint();
                payments.mark(key, "failed", f.response());
            }
            case SettleOutcome.Unknown u -> {
                ObjectNode m = meta("payment-verified");
                m.put(SETTLEMENT_KEY, "pending");
                ctx.working(agent("Settlement outcome unknown (" + u.reason() + "); reconciling by"
                        + " nonce. Do not pay again: this payment's outcome will complete the task.", m));
                ctx.checkpoint(); // stored before the reconciler may pick the payment up
                payments.mark(key, "unknown", null);
                ctx.continuesLater();
            }
        }
    }

    // ---- the envelope draw --------------------------------------------------------------------

    private sealed interface Draw {
    }

    private record Drawn(Reservation reservation) implements Draw {
    }

    private record Refuse(PaymentRefusal refusal) implements Draw {
    }

    /** The same payment is being (or was) handled for this task by another request. */
    private record Repeat() implements Draw {
    }

    private Draw draw(Skill skill, PaymentRequirement requirement, PaymentPayload payload,
            String rawId, TaskPayments.Key key, String taskId, String hash) {
        if (!Hex.isHex(rawId, 32)) {
            return new Refuse(mandateRefused(Refusal.UNKNOWN_MANDATE.code(),
                    MANDATE_KEY + " must be a mandate id, 0x + 32 bytes of hex"));
        }
        Bytes32 id = Bytes32.fromHex(rawId);
        Optional<Envelope> found = envelopes.find(id);
        if (found.isEmpty()) {
            return new Refuse(mandateRefused(Refusal.UNKNOWN_MANDATE.code(),
                    "no mandate " + id.hex() + " is registered"));
        }
        Envelope envelope = found.get();
        if (!payload.from().equals(envelope.agent())) {
            return new Refuse(mandateRefused(Refusal.SIGNATURE_MISMATCH.code(), "the payer "
                    + payload.from() + " is not the mandate's agent " + envelope.agent()));
        }
        // Fail closed: the price must be in the very asset the envelope counts.
        if (!requirement.asset().isToken(envelope.asset().lowerHex())
                || !requirement.asset().network().equals(envelope.network())) {
            return new Refuse(mandateRefused("asset_mismatch", "the price is in "
                    + requirement.asset().address() + " on " + requirement.asset().network()
                    + ", the mandate's budget in " + envelope.asset() + " on " + envelope.network()));
        }
        List<String> skills = envelopes.skills(id).orElse(List.of());
        if (!skills.isEmpty() && !skills.contains(skill.id())) {
            return new Refuse(mandateRefused("skill_not_allowed", "the mandate does not cover skill "
                    + skill.id() + " (it allows " + String.join(", ", skills) + ")"));
        }
        DrawContext what = new DrawContext(skill.id(), "local", null, taskId);
        for (int poll = 0; ; poll++) {
            ReserveResult r = envelopes.reserve(id, requirement.amount(), payload.nonce(), null, what);
            switch (r) {
                case ReserveResult.Reserved reserved -> {
                    return new Drawn(reserved.reservation());
                }
                case ReserveResult.AlreadyCaptured done -> {
                    return samePayment(key, taskId, hash) ? new Repeat() : new Refuse(duplicateNonce());
                }
                case Refused refused -> {
                    if (refused.reason() != Refusal.IDEMPOTENCY_KEY_IN_FLIGHT) {
                        return new Refuse(refusal(refused));
                    }
                    // Another request holds this nonce's reservation: the same payment sent twice
                    // at once, or a replay. Its claim tells which; wait briefly for it.
                    Optional<TaskPayments.Payment> holder = payments.find(key);
                    if (holder.isPresent()) {
                        return samePayment(holder.get(), taskId, hash) ? new Repeat()
                                : new Refuse(duplicateNonce());
                    }
                    if (poll >= IN_FLIGHT_POLLS) {
                        return new Repeat(); // change nothing; the holder's answer stands
                    }
                    sleep(IN_FLIGHT_POLL_MILLIS);
                }
            }
        }
    }

    private boolean samePayment(TaskPayments.Key key, String taskId, String hash) {
        return payments.find(key).map(p -> samePayment(p, taskId, hash)).orElse(false);
    }

    private static boolean samePayment(TaskPayments.Payment p, String taskId, String hash) {
        return p.taskId().equals(taskId) && p.payloadHash().equals(hash);
    }

    /** A ledger refusal as the extension says it (DESIGN §8). */
    private static PaymentRefusal refusal(Refused refused) {
        return switch (refused.reason()) {
            case INSUFFICIENT_BUDGET -> PaymentRefusal.of(refused.reason().code(),
                    X402Error.INSUFFICIENT_FUNDS, "the mandate's remaining budget is too small: "
                            + refused.message());
            case IDEMPOTENCY_KEY_REUSED -> duplicateNonce();
            default -> mandateRefused(refused.reason().code(), refused.message());
        };
    }

    /** The work of a verified payment ended before its settlement: nothing was charged. */
    static PaymentRefusal abandoned() {
        return PaymentRefusal.of("work_abandoned", X402Error.SETTLEMENT_FAILED,
                "the work stopped before the payment was settled (its instance ended, or it ran"
                        + " past " + WORK_STALE.toMinutes() + " minutes); nothing was charged");
    }

    private static PaymentRefusal duplicateNonce() {
        return PaymentRefusal.of("invalid_exact_evm_nonce_already_used", X402Error.DUPLICATE_NONCE,
                "this authorization's nonce was used before");
    }

    private static PaymentRefusal mandateRefused(String code, String detail) {
        return PaymentRefusal.of(code, X402Error.MANDATE_REFUSED, detail);
    }

    private void release(Reservation reservation) {
        if (reservation != null && envelopes.release(reservation) instanceof Refused r) {
            LOG.errorf("could not release reservation %d on %s: %s", reservation.id(),
                    reservation.envelopeId(), r.message());
        }
    }

    /** Canceled by the client before settlement: nothing is charged. */
    private void canceled(TaskPayments.Key key, Reservation reservation) {
        release(reservation);
        payments.mark(key, "failed", null);
    }

    /** Captures the settled price; a capture refused after the money moved is logged loudly. */
    Optional<Receipt> capture(Reservation reservation, long amount, TaskPayments.Key key) {
        if (reservation == null) {
            return Optional.empty();
        }
        return switch (envelopes.capture(reservation, amount)) {
            case CaptureResult.Captured c -> Optional.of(c.receipt());
            case Refused r -> {
                LOG.errorf("payment %s of %s settled but its reservation %d could not be captured: %s",
                        key.nonce(), key.payer(), reservation.id(), r.message());
                yield Optional.empty();
            }
        };
    }

    /** Gives back a reservation whose settlement is known to have failed. */
    void releaseAfterFailure(Reservation reservation) {
        if (reservation != null && envelopes.release(reservation) instanceof Refused r
                && r.reason() != Refusal.RESERVATION_RELEASED) {
            LOG.errorf("could not release reservation %d after a failed settlement: %s",
                    reservation.id(), r.message());
        }
    }

    static PaymentRefusal settleFailure(SettleOutcome.Failed f) {
        return PaymentRefusal.of(f.reason(), X402Error.forReason(f.reason(), X402Error.SETTLEMENT_FAILED),
                "settlement failed: " + f.reason());
    }

    /** The final status message of a paid task: payment-completed with the receipts. */
    static Message completion(ObjectNode settleResponse, Optional<Receipt> drawn) {
        ObjectNode m = meta("payment-completed");
        m.putArray(X402Metadata.RECEIPTS).add(settleResponse);
        drawn.ifPresent(r -> m.set(LEDGER_RECEIPT_KEY, r.toJson()));
        return agent("Payment settled.", m);
    }

    /** The status message of a payment that failed. */
    static Message failure(PaymentRefusal refusal, List<ObjectNode> receipts) {
        ObjectNode m = meta("payment-failed");
        m.put(X402Metadata.ERROR, refusal.error().name());
        m.put(REASON_KEY, refusal.reason());
        ArrayNode r = m.putArray(X402Metadata.RECEIPTS);
        receipts.forEach(r::add);
        return agent("Payment failed: " + refusal.detail() + " (" + refusal.reason() + ")", m);
    }

    private void askForPayment(TaskContext ctx, PaymentRequirement offer) {
        ObjectNode m = meta("payment-required");
        m.set(X402Metadata.REQUIRED, offer.paymentRequired(terms.x402Version(ctx.activatedExtensions()),
                "Payment is required"));
        ctx.requireInput(agent("Payment is required: " + offer.amount() + " atomic units of USDC on "
                + offer.asset().network() + ".", m), null);
    }

    /** The requirement this task was offered (kept in its payment-required status message). */
    private static Optional<PaymentRequirement> offered(TaskContext ctx) {
        Message status = ctx.task().status().message();
        if (status == null || status.metadata() == null) {
            return Optional.empty();
        }
        JsonNode accepts = status.metadata().path(X402Metadata.REQUIRED).path("accepts");
        return accepts.isArray() && !accepts.isEmpty() ? PaymentRequirement.fromJson(accepts.get(0))
                : Optional.empty();
    }

    /** The envelope named by the payment turn, else by the task's latest message that names one. */
    private static Optional<String> mandateId(TaskContext ctx) {
        Optional<String> here = mandateIn(ctx.message());
        if (here.isPresent()) {
            return here;
        }
        List<Message> history = ctx.task().history();
        for (int i = history.size() - 1; i >= 0; i--) {
            Message m = history.get(i);
            if (m.role() == Role.USER) {
                Optional<String> named = mandateIn(m);
                if (named.isPresent()) {
                    return named;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> mandateIn(Message m) {
        JsonNode id = m.metadata() == null ? null : m.metadata().get(MANDATE_KEY);
        return id == null || id.isNull() ? Optional.empty() : Optional.of(id.asText());
    }

    private static JsonNode submittedPayload(Message m) {
        ObjectNode md = m.metadata();
        if (md == null || !"payment-submitted".equals(md.path(X402Metadata.STATUS).asText(null))) {
            return null;
        }
        JsonNode payload = md.get(X402Metadata.PAYLOAD);
        return payload == null || payload.isNull() ? null : payload;
    }

    private static void failed(TaskContext ctx, PaymentRefusal refusal, List<ObjectNode> receipts) {
        ctx.fail(failure(refusal, receipts));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a concurrent payment", e);
        }
    }

    static ObjectNode meta(String status) {
        ObjectNode m = F.objectNode();
        m.put(X402Metadata.STATUS, status);
        return m;
    }

    static Message agent(String text, ObjectNode metadata) {
        return new Message(UUID.randomUUID().toString(), Role.AGENT, List.of(Part.text(text)), null,
                null, metadata, List.of(X402Metadata.EXTENSION_V02), null);
    }
}
