package dev.purser.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.crypto.Jcs;
import dev.purser.crypto.Sha256;
import dev.purser.market.Skill;
import dev.purser.task.TaskContext;
import dev.purser.x402.Eip3009Verifier;
import dev.purser.x402.Facilitator;
import dev.purser.x402.PaymentClaims;
import dev.purser.x402.PaymentPayload;
import dev.purser.x402.PaymentRefusal;
import dev.purser.x402.PaymentRequirement;
import dev.purser.x402.SettleOutcome;
import dev.purser.x402.X402Error;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The paid-task flow of DESIGN §3 (standalone x402): without a payment the task waits in
 * input-required with the requirements; with one it is checked, claimed (one authorization pays
 * one task), the work runs, the payment settles, and the task completes with the receipt. Any
 * failure before settlement ends the task failed with the extension's error code; an unknown
 * settlement outcome leaves the task working, its payment marked unknown, never paid twice.
 */
@ApplicationScoped
public class PaymentGate {

    private static final Logger LOG = Logger.getLogger(PaymentGate.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final PaymentTerms terms;
    private final PaymentClaims claims;
    private final Facilitator facilitator;
    private final Clock clock = Clock.systemUTC();

    public PaymentGate(PaymentTerms terms, PaymentClaims claims, Facilitator facilitator) {
        this.terms = terms;
        this.claims = claims;
        this.facilitator = facilitator;
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
        switch (Eip3009Verifier.verify(payload, requirement, clock.instant())) {
            case Eip3009Verifier.Invalid i -> {
                failed(ctx, i.refusal(), List.of());
                return;
            }
            case Eip3009Verifier.Valid v -> {
                // valid: go on
            }
        }
        String hash = Sha256.hash(Jcs.canonicalBytes(payloadJson)).hex();
        switch (claims.claim(requirement.asset(), payload, requirement.amount(), ctx.task().id(), hash)) {
            case PaymentClaims.Duplicate d -> {
                failed(ctx, PaymentRefusal.of("invalid_exact_evm_nonce_already_used",
                        X402Error.DUPLICATE_NONCE, "this authorization's nonce was used before"), List.of());
                return;
            }
            case PaymentClaims.Resubmitted r -> {
                // The task moved on after this payment; only an input-required task runs a turn,
                // so this is the same payment after a failure: answer as it ended.
                failed(ctx, PaymentRefusal.of("invalid_exact_evm_nonce_already_used",
                        X402Error.DUPLICATE_NONCE, "this payment was already submitted (" + r.status() + ")"),
                        r.receipt().map(List::of).orElse(List.of()));
                return;
            }
            case PaymentClaims.Claimed c -> {
                // ours: go on
            }
        }
        ctx.working(agent("Payment verified; working.", meta("payment-verified")));
        try {
            work.run();
        } catch (RuntimeException e) {
            String ref = UUID.randomUUID().toString();
            LOG.errorf(e, "paid skill %s failed before settlement (ref %s)", skill.id(), ref);
            claims.finish(requirement.asset(), payload, "failed", null);
            failed(ctx, PaymentRefusal.of("work_failed", X402Error.SETTLEMENT_FAILED,
                    "the skill failed before the payment was settled; nothing was charged (ref " + ref + ")"),
                    List.of());
            return;
        }
        JsonNode requirementJson = requirement.toJson(payload.x402Version());
        switch (facilitator.settle(payloadJson, requirementJson)) {
            case SettleOutcome.Settled s -> {
                claims.finish(requirement.asset(), payload, "settled", s.response());
                ObjectNode m = meta("payment-completed");
                m.putArray(X402Metadata.RECEIPTS).add(s.response());
                ctx.complete(agent("Payment settled.", m));
            }
            case SettleOutcome.Failed f -> {
                claims.finish(requirement.asset(), payload, "failed", f.response());
                X402Error code = f.reason().contains("insufficient") ? X402Error.INSUFFICIENT_FUNDS
                        : X402Error.SETTLEMENT_FAILED;
                failed(ctx, PaymentRefusal.of(f.reason(), code, "settlement failed: " + f.reason()),
                        List.of(f.response()));
            }
            case SettleOutcome.Unknown u -> {
                // Never released blindly nor settled twice: reconciled by nonce later.
                claims.finish(requirement.asset(), payload, "unknown", null);
                ObjectNode m = meta("payment-verified");
                m.put("purser.settlement", "pending");
                ctx.working(agent("Settlement outcome unknown (" + u.reason() + "); reconciling.", m));
            }
        }
    }

    private void askForPayment(TaskContext ctx, PaymentRequirement offer) {
        ObjectNode m = meta("payment-required");
        m.set(X402Metadata.REQUIRED, offer.paymentRequired(terms.x402Version(), "Payment is required"));
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

    private void failed(TaskContext ctx, PaymentRefusal refusal, List<ObjectNode> receipts) {
        ObjectNode m = meta("payment-failed");
        m.put(X402Metadata.ERROR, refusal.error().name());
        ArrayNode r = m.putArray(X402Metadata.RECEIPTS);
        receipts.forEach(r::add);
        ctx.fail(agent("Payment failed: " + refusal.detail() + " (" + refusal.reason() + ")", m));
    }

    private static ObjectNode meta(String status) {
        ObjectNode m = F.objectNode();
        m.put(X402Metadata.STATUS, status);
        return m;
    }

    private static Message agent(String text, ObjectNode metadata) {
        return new Message(UUID.randomUUID().toString(), dev.purser.a2a.spec.Role.AGENT,
                List.of(Part.text(text)), null, null, metadata, null, null);
    }
}
