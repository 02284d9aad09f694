package dev.purser.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.Task;
import dev.purser.ledger.DrawContext;
import dev.purser.mandate.Ap2Payments;
import dev.purser.market.Skill;
import dev.purser.task.TaskContext;
import dev.purser.x402.PaymentMetadata;
import dev.purser.x402.PaymentPayload;
import dev.purser.x402.PaymentRequirement;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The A2A edge of the paid flow (DESIGN §3, standalone x402): reads a paid task's turn and
 * answers it in the extension's words. Without a payment the task waits in input-required with
 * the requirements; with one, the turn becomes a {@link Purchase} that {@link PaidFlow} takes
 * through its steps, and each step's news becomes a status of the task. The same payment sent
 * again for its task gets the task as that payment left it ({@link #isRepeat}).
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

    private final PaymentTerms terms;
    private final PaidFlow flow;

    public PaymentGate(PaymentTerms terms, PaidFlow flow) {
        this.terms = terms;
        this.flow = flow;
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
        run(ctx, skill, () -> {
            work.run();
            return new PaidWork.Done();
        });
    }

    /** Runs {@code work} once the local skill's price is paid; nothing is charged unless done. */
    public void run(TaskContext ctx, Skill skill, PaidWork work) {
        run(ctx, skill, "local", work);
    }

    /**
     * Runs {@code work} once the price is paid: the price quoted on the task's payment-required
     * turn, else {@code skill}'s. {@code provider} is who is expected to serve it ({@code local}
     * or a provider id), kept with the envelope's reservation for its report.
     */
    public void run(TaskContext ctx, Skill skill, String provider, PaidWork work) {
        Optional<PaymentRequirement> offer = offered(ctx.task()).or(() -> terms.requirementFor(skill));
        if (offer.isEmpty()) {
            ctx.reject("Skill " + skill.id() + " has no price payable on this network; refusing"
                    + " rather than working for free");
            return;
        }
        ObjectNode md = ctx.message().metadata();
        String status = md == null ? null : md.path(PaymentMetadata.STATUS).asText(null);
        if ("payment-rejected".equals(status)) {
            ctx.fail(PaidTaskMessages.declined());
            return;
        }
        if (!"payment-submitted".equals(status)) {
            ctx.requireInput(PaidTaskMessages.paymentRequired(offer.get(),
                    terms.x402Version(ctx.activatedExtensions())), null);
            return;
        }
        JsonNode payloadJson = md.get(PaymentMetadata.PAYLOAD);
        switch (PaymentPayload.parse(payloadJson)) {
            case PaymentPayload.Refused r ->
                ctx.fail(PaidTaskMessages.failure(r.refusal(), List.of()));
            case PaymentPayload.Parsed p -> {
                X402Payment payment = X402Payment.of(p.payload(), payloadJson, offer.get());
                Purchase purchase = new Purchase(skill.id(), payment.requirement().amount(),
                        payment.requirement().asset(), p.payload().from(), p.payload().nonce(),
                        mandateId(ctx), Optional.of(payment),
                        new DrawContext(skill.id(), provider, null, ctx.task().id()),
                        named(ctx, Ap2Payments.CHAIN_KEY));
                flow.run(purchase, work, new TaskListener(ctx));
            }
        }
    }

    /** A paid task's statuses, as the flow moves it on. */
    private record TaskListener(TaskContext ctx) implements FlowListener {

        @Override
        public boolean verified() {
            ctx.working(PaidTaskMessages.verified());
            return ctx.checkpoint();
        }

        @Override
        public boolean stillWanted() {
            return !ctx.isCanceled();
        }

        @Override
        public void settling() {
            ctx.working(PaidTaskMessages.settling());
            ctx.checkpoint(); // the artifacts are stored before the money moves
        }

        @Override
        public void ended(PaidOutcome outcome) {
            switch (outcome) {
                case PaidOutcome.Completed c -> {
                    ctx.complete(PaidTaskMessages.completion(c.settlement(), c.receipt()));
                    ctx.checkpoint();
                }
                case PaidOutcome.Failed f -> {
                    ctx.fail(PaidTaskMessages.failure(f.refusal(), f.receipts()));
                    ctx.checkpoint();
                }
                case PaidOutcome.Pending p -> {
                    ctx.working(PaidTaskMessages.pending(p.reason()));
                    ctx.checkpoint(); // stored before the reconciler may pick the payment up
                    ctx.continuesLater();
                }
                case PaidOutcome.Canceled c -> {
                    // the cancel is the task's end; nothing more to say
                }
                case PaidOutcome.Repeat r -> ctx.answerAsStored();
            }
        }
    }

    /** The price quoted to {@code task} on its payment-required turn, if it was asked to pay. */
    public static Optional<Long> quoted(Task task) {
        return offered(task).map(PaymentRequirement::amount);
    }

    /** The requirement this task was offered (kept in its payment-required status message). */
    private static Optional<PaymentRequirement> offered(Task task) {
        Message status = task.status().message();
        if (status == null || status.metadata() == null) {
            return Optional.empty();
        }
        JsonNode accepts = status.metadata().path(PaymentMetadata.REQUIRED).path("accepts");
        return accepts.isArray() && !accepts.isEmpty() ? PaymentRequirement.fromJson(accepts.get(0))
                : Optional.empty();
    }

    /** The envelope named by the payment turn, else by the task's latest message that names one. */
    private static Optional<String> mandateId(TaskContext ctx) {
        return named(ctx, MANDATE_KEY);
    }

    /**
     * The metadata value {@code key} of the payment turn, else of the task's latest user message
     * that has one: the envelope ({@link #MANDATE_KEY}) or the AP2 chain
     * ({@link Ap2Payments#CHAIN_KEY}) may be given when the task is asked or when it is paid.
     */
    private static Optional<String> named(TaskContext ctx, String key) {
        Optional<String> here = valueIn(ctx.message(), key);
        if (here.isPresent()) {
            return here;
        }
        List<Message> history = ctx.task().history();
        for (int i = history.size() - 1; i >= 0; i--) {
            Message m = history.get(i);
            if (m.role() == Role.USER) {
                Optional<String> named = valueIn(m, key);
                if (named.isPresent()) {
                    return named;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> valueIn(Message m, String key) {
        JsonNode value = m.metadata() == null ? null : m.metadata().get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static JsonNode submittedPayload(Message m) {
        ObjectNode md = m.metadata();
        if (md == null || !"payment-submitted".equals(md.path(PaymentMetadata.STATUS).asText(null))) {
            return null;
        }
        JsonNode payload = md.get(PaymentMetadata.PAYLOAD);
        return payload == null || payload.isNull() ? null : payload;
    }
}
