package dev.purser.delegation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aCallException;
import dev.purser.a2a.client.A2aVersion;
import dev.purser.a2a.client.AgentEndpoint;
import dev.purser.a2a.client.CallOptions;
import dev.purser.a2a.client.PaidResult;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.TaskState;
import dev.purser.billing.PaidWork;
import dev.purser.market.Candidate;
import dev.purser.market.Outcome;
import dev.purser.task.TaskContext;
import dev.purser.x402.Payer;
import dev.purser.x402.PaymentMetadata;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The work of a delegated task (DESIGN §9 "Delegation"): the offers in route order, each tried
 * once until one completes. An attempt sends the buyer's message to the provider in its protocol
 * version (streaming when it streams, its events relayed), pays its x402 ask from the operator key
 * only up to its listed provider price (the authorization nonce derives from the task and the
 * provider, so a retry cannot pay twice), and ends {@code completed}, {@code failed},
 * {@code timeout}, {@code unreachable} or {@code price_changed}. Every attempt is recorded for
 * routing and in the task's {@code purser.delegation}; the provider's artifacts become the task's.
 */
final class RemoteWork implements PaidWork {

    /** Task metadata key of the delegation record (DESIGN §9). */
    static final String DELEGATION_KEY = "purser.delegation";

    private static final Logger LOG = Logger.getLogger(RemoteWork.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * How an attempt ended (null outcome: the buyer canceled it), and what it produced;
     * {@code waiting} is the provider's question when its task waits for input.
     */
    private record Attempt(Outcome outcome, String remoteTaskId, List<Artifact> artifacts,
            String detail, Message waiting) {

        static Attempt failed(Outcome outcome, String detail) {
            return new Attempt(outcome, null, List.of(), detail, null);
        }

        static Attempt completed(String remoteTaskId, List<Artifact> artifacts, Message waiting) {
            return new Attempt(Outcome.COMPLETED, remoteTaskId, artifacts, null, waiting);
        }
    }

    /** The offer that completed the task, and its answer (for the result cache). */
    record Served(Candidate offer, CacheStore.Answer answer) {
    }

    private final TaskContext ctx;
    private final List<Part> parts;
    private final List<Candidate> offers;
    private final ProviderCalls providers;
    private final String followUpOf;
    private final boolean followUpAllowed;
    private final ArrayNode via;
    private volatile Message waiting;
    private volatile Served served;

    /**
     * {@code parts}: what the buyer asked, sent to each provider as a new message, or, with
     * {@code followUpOf} (the provider's task id; null for a new task), as the next message of the
     * provider's task that waits for input. {@code followUpAllowed}: a provider's question may end
     * the turn (free work only). {@code via}: the brokers the task came through, this one last
     * ({@link Hops}).
     */
    RemoteWork(TaskContext ctx, List<Part> parts, List<Candidate> offers, ProviderCalls providers,
            String followUpOf, boolean followUpAllowed, ArrayNode via) {
        this.via = via.deepCopy();
        this.followUpAllowed = followUpAllowed;
        this.ctx = ctx;
        this.parts = List.copyOf(parts);
        this.offers = List.copyOf(offers);
        this.providers = providers;
        this.followUpOf = followUpOf;
    }

    /** After {@link Done}: the provider's question when its task waits for the buyer's input. */
    Optional<Message> waitingForInput() {
        return Optional.ofNullable(waiting);
    }

    @Override
    public Result perform() {
        ArrayNode attempts = F.arrayNode();
        List<String> summary = new ArrayList<>();
        for (Candidate offer : offers) {
            if (ctx.isCanceled()) {
                break;
            }
            long started = System.nanoTime();
            Attempt a = attempt(offer);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (a.outcome() != null) {
                providers.router.record(offer, a.outcome(), ms);
                attempts.add(F.objectNode().put("provider", offer.providerId())
                        .put("outcome", a.outcome().wire()).put("ms", ms));
                summary.add(offer.providerId() + ": " + a.outcome().wire()
                        + (a.detail() == null ? "" : " (" + a.detail() + ")"));
            }
            if (a.outcome() == Outcome.COMPLETED) {
                waiting = a.waiting();
                a.artifacts().forEach(art -> ctx.addArtifact(art, false, true));
                ctx.putMetadata(DELEGATION_KEY,
                        record(offer.providerId(), a.remoteTaskId(), attempts, false));
                served = new Served(offer,
                        new CacheStore.Answer(offer.providerId(), a.remoteTaskId(), a.artifacts()));
                // the caller pays the quote; the report names the provider that served it
                return new Done(OptionalLong.empty(), Optional.of(offer.providerId()));
            }
        }
        ctx.putMetadata(DELEGATION_KEY, record(null, null, attempts, false));
        return new Failed("delegation_failed", summary.isEmpty()
                ? "no provider was tried; nothing was charged"
                : "no provider completed the task (" + String.join("; ", summary)
                        + "); nothing was charged");
    }

    /** The offer that completed the task and its answer; empty until one did. */
    Optional<Served> served() {
        return Optional.ofNullable(served);
    }

    private Attempt attempt(Candidate offer) {
        AgentEndpoint endpoint;
        try {
            endpoint = new AgentEndpoint(URI.create(offer.interfaceUrl()),
                    A2aVersion.parse(offer.protocolVersion()).orElseThrow(), offer.streaming());
        } catch (RuntimeException e) {
            return Attempt.failed(Outcome.FAILED, "unusable interface " + offer.interfaceUrl());
        }
        CallOptions options = CallOptions.timeout(providers.config.delegationTimeout())
                .withHeaders(offer.headers());
        Relay relay = new Relay(ctx);
        CancelForwarder forwarder = new CancelForwarder(ctx, relay, providers.client, endpoint, options);
        try {
            String taskId = ctx.task().id();
            PaidResult r = providers.paidSend.send(endpoint, outbound(offer), providers.asset,
                    offer.providerPrice(), Payer.nonceFor(taskId, offer.providerId()), options,
                    relay, signed -> providers.payments.record(taskId, offer.providerId(),
                            signed.nonce(), signed.amount()));
            if (r.paid().isPresent()) {
                boolean settled = r.receipts().stream()
                        .anyMatch(receipt -> receipt.path("success").asBoolean(false));
                providers.payments.conclude(taskId, offer.providerId(),
                        r.task().map(t -> t.id()).orElse(relay.remoteTaskId()), settled,
                        r.receipts().isEmpty() ? null : r.receipts().getFirst());
            }
            if (r.refused().isPresent()) {
                Payer.Refused refused = r.refused().get();
                forwarder.cancelRemote();
                return Attempt.failed(switch (refused.reason()) {
                    case AMOUNT_EXCEEDS_MAXIMUM, OTHER_ASSET -> Outcome.PRICE_CHANGED;
                    default -> Outcome.FAILED;
                }, refused.reason() == Payer.Refusal.DECLINED ? "this task paid "
                        + offer.providerId() + " already, and never pays it twice" : refused.detail());
            }
            return switch (r.result()) {
                case SendResult.OfMessage m -> Attempt.completed(relay.remoteTaskId(),
                        List.of(new Artifact(UUID.randomUUID().toString(), "result", null,
                                m.message().parts(), null, null)), null);
                case SendResult.OfTask t -> switch (t.task().state()) {
                    case COMPLETED -> Attempt.completed(t.task().id(), t.task().artifacts(), null);
                    // A question for the buyer: its answer goes to this very task (a follow-up).
                    case INPUT_REQUIRED -> isQuestion(t.task().status().message())
                            ? Attempt.completed(t.task().id(), t.task().artifacts(),
                                    t.task().status().message())
                            : Attempt.failed(Outcome.FAILED, ended(t.task()));
                    default -> Attempt.failed(Outcome.FAILED, ended(t.task()));
                };
            };
        } catch (Relay.BuyerCanceled e) {
            forwarder.cancelRemote();
            return Attempt.failed(null, null); // the buyer's doing, not the provider's
        } catch (A2aCallException e) {
            LOG.debugf("delegation of task %s to %s: %s", ctx.task().id(), offer.providerId(),
                    e.getMessage());
            forwarder.cancelRemote();
            return Attempt.failed(switch (e.kind()) {
                case TIMEOUT -> Outcome.TIMEOUT;
                case UNREACHABLE -> Outcome.UNREACHABLE;
                default -> Outcome.FAILED;
            }, e.kind().name().toLowerCase(Locale.ROOT));
        } finally {
            forwarder.stop();
        }
    }

    /**
     * A provider's input-required status the buyer can answer: a message that is not about a
     * payment, on a task whose answer is not being paid for (a paid turn settles when it ends, so
     * it cannot wait for a question's answer).
     */
    private boolean isQuestion(Message m) {
        return followUpAllowed && m != null
                && (m.metadata() == null || !m.metadata().has(PaymentMetadata.STATUS));
    }

    /** Why a provider's task did not complete, in its own words when it gave some. */
    private static String ended(dev.purser.a2a.spec.Task t) {
        String state = t.state().name().toLowerCase(Locale.ROOT).replace('_', '-');
        Message said = t.status().message();
        String why = said == null ? "" : said.text();
        return "the provider's task ended " + state + (why.isBlank() ? "" : ": " + why);
    }

    /**
     * The buyer's parts as a new message to the provider, naming the provider's skill the way
     * Purser reads it ({@code purser.skill}), and the brokers it came through
     * ({@code purser.via}); none of the buyer's other metadata travels.
     */
    private Message outbound(Candidate offer) {
        ObjectNode metadata = F.objectNode().put("purser.skill", offer.skillId());
        metadata.set(Hops.KEY, via.deepCopy());
        return new Message(UUID.randomUUID().toString(), Role.USER, parts, null, followUpOf,
                metadata, null, null);
    }

    /** The {@code purser.delegation} record; {@code cached} when the answer came from the cache. */
    static ObjectNode record(String provider, String providerTaskId, ArrayNode attempts,
            boolean cached) {
        ObjectNode d = F.objectNode();
        d.put("provider", provider);
        d.put("providerTaskId", providerTaskId);
        d.set("attempts", attempts.deepCopy());
        d.put("cached", cached);
        return d;
    }
}
