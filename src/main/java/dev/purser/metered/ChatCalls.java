package dev.purser.metered;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.billing.FlowListener;
import dev.purser.billing.PaidFlow;
import dev.purser.billing.PaidOutcome;
import dev.purser.billing.PaidWork;
import dev.purser.billing.PaymentTerms;
import dev.purser.billing.Purchase;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Sha256;
import dev.purser.delegation.DelegationConfig;
import dev.purser.ledger.DrawContext;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Receipt;
import dev.purser.ledger.Reservation;
import dev.purser.mandate.SessionKey;
import dev.purser.market.ModelCatalog;
import dev.purser.market.ModelOffer;
import dev.purser.market.RouteMode;
import dev.purser.market.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * One {@code chat/completions} call, start to end (DESIGN §11 "Calls"): route, bound, reserve
 * through the paid flow, ask the upstreams, capture the usage, answer with the cost headers.
 * The money steps are {@link PaidFlow}'s; this class only prices the call and speaks OpenAI's
 * wire.
 */
@ApplicationScoped
class ChatCalls {

    static final String COST = "X-Purser-Cost";
    static final String REMAINING = "X-Purser-Remaining";
    static final String RECEIPT = "X-Purser-Receipt";
    static final String CACHE = "X-Purser-Cache";

    private static final Logger LOG = Logger.getLogger(ChatCalls.class);

    private final PaidFlow flow;
    private final ModelCatalog catalog;
    private final Router router;
    private final Upstreams upstreams;
    private final MeteredCalls calls;
    private final CallCache cache;
    private final Envelopes envelopes;
    private final PaymentTerms terms;
    private final DelegationConfig delegation;
    private final ObjectMapper json;
    /** A bean field, made at run time: a native image refuses a SecureRandom in its heap. */
    private final SecureRandom random = new SecureRandom();

    ChatCalls(PaidFlow flow, ModelCatalog catalog, Router router, Upstreams upstreams,
            MeteredCalls calls, CallCache cache, Envelopes envelopes, PaymentTerms terms,
            DelegationConfig delegation, ObjectMapper json) {
        this.flow = flow;
        this.catalog = catalog;
        this.router = router;
        this.upstreams = upstreams;
        this.calls = calls;
        this.cache = cache;
        this.envelopes = envelopes;
        this.terms = terms;
        this.delegation = delegation;
        this.json = json;
    }

    /** The call's answer: a completion, a stream, or OpenAI's error body. */
    Response complete(SessionKey key, JsonNode body, Optional<RouteMode> mode, boolean cacheAsked) {
        ChatRequest request = ChatRequest.parse(body, json);
        List<ModelOffer> offers = catalog.offers(request.model());
        if (offers.isEmpty()) {
            return CallError.unknownModel(request.model()).response();
        }
        List<ModelOffer> routed = router.order(offers, mode.orElse(RouteMode.COST), Optional.empty());
        if (routed.isEmpty()) {
            return CallError.upstream(false, "every upstream of " + request.model()
                    + " is down now (circuit open); nothing was charged").response();
        }
        Pricing pricing = Pricing.of(request, routed);
        if (pricing.reserve() < 0) {
            return CallError.insufficientBudget("the worst case of this call does not fit in a"
                    + " price (input bound " + request.inputBound() + " bytes, output bound "
                    + pricing.outputBound() + " tokens); lower max_tokens").response();
        }
        Optional<CallCache.Key> cacheKey = cache.key(key, request, cacheAsked, routed);
        Call call = new Call(key, request, pricing, cacheKey);
        return request.stream() ? call.stream() : call.whole();
    }

    /** One call's state across its flow. */
    private final class Call implements FlowListener {

        private final SessionKey key;
        private final ChatRequest request;
        private final Pricing pricing;
        private final Optional<CallCache.Key> cacheKey;
        private volatile Reservation held;
        /** The cached answer when the cache answered, else null. */
        private byte[] cachedBody;

        Call(SessionKey key, ChatRequest request, Pricing pricing,
                Optional<CallCache.Key> cacheKey) {
            this.key = key;
            this.request = request;
            this.pricing = pricing;
            this.cacheKey = cacheKey;
        }

        Response whole() {
            ModelWork work = work(null);
            PaidOutcome outcome = flow.run(purchase(), () -> cached().orElseGet(work::perform), this);
            return switch (outcome) {
                case PaidOutcome.Completed c -> {
                    byte[] answer = cachedBody != null ? cachedBody : work.answer();
                    if (cachedBody == null) {
                        cacheKey.ifPresent(k -> work.served().ifPresent(
                                offer -> cache.store(k, offer, answer)));
                    }
                    Response.ResponseBuilder b = Response.ok(answer, MediaType.APPLICATION_JSON);
                    headers(c).forEach(b::header);
                    yield b.build();
                }
                default -> refusal(outcome, work).response();
            };
        }

        Response stream() {
            StreamExchange exchange = new StreamExchange(() -> calls.streaming(held),
                    delegation.delegationTimeout().toMillis());
            ModelWork work = work(exchange);
            Thread.ofVirtual().name("metered-call").start(() -> {
                try {
                    PaidOutcome outcome = flow.run(purchase(), work, this);
                    if (exchange.opened()) {
                        StringBuilder trailer = new StringBuilder();
                        if (outcome instanceof PaidOutcome.Completed c) {
                            headers(c).forEach((name, value) -> trailer.append(": ").append(name)
                                    .append(": ").append(value).append('\n'));
                            trailer.append('\n');
                        }
                        exchange.finish(trailer + "data: [DONE]\n\n");
                    } else {
                        exchange.refuse(refusal(outcome, work).response());
                    }
                } catch (RuntimeException e) {
                    LOG.errorf(e, "metered call to %s failed", request.model());
                    if (exchange.opened()) {
                        exchange.finish("data: " + CallError.internal("the call failed; see the"
                                + " server log").body() + "\n\n");
                    } else {
                        exchange.refuse(CallError.internal("the call failed before it started;"
                                + " nothing was charged").response());
                    }
                }
            });
            try {
                return exchange.head().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CallError.internal("interrupted").response();
            } catch (ExecutionException e) {
                return CallError.internal("the call failed before it started").response();
            }
        }

        /** A cache hit costs nothing: the flow captures 0, so it is still one ledger entry. */
        private Optional<PaidWork.Result> cached() {
            return cacheKey.flatMap(cache::find).map(entry -> {
                cachedBody = entry.body();
                return PaidWork.Done.metered(0, entry.upstreamId());
            });
        }

        private ModelWork work(ModelWork.StreamSink sink) {
            return new ModelWork(request, pricing.offers(), pricing.reserve(),
                    pricing.outputBound(), upstreams, router,
                    delegation.delegationTimeout(), json, sink);
        }

        private Purchase purchase() {
            byte[] nonce = new byte[32];
            random.nextBytes(nonce);
            return new Purchase(request.model(), pricing.reserve(), terms.asset(), key.agent(),
                    new Bytes32(nonce), Optional.of(key.mandateId()), Optional.empty(),
                    new DrawContext(request.model(), pricing.offers().get(0).upstreamId(),
                            loopMemo(), null, MeteredCalls.RECONCILER));
        }

        /**
         * The draw's memo: the request's digest, so that loop detection counts identical
         * requests (an agent asking the same thing over and over), not merely equal prices.
         */
        private String loopMemo() {
            return "request " + Sha256.hash(request.body().toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex().substring(2, 18);
        }

        private java.util.Map<String, String> headers(PaidOutcome.Completed c) {
            java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
            h.put(COST, Long.toString(c.receipt().map(Receipt::amount).orElse(0L)));
            envelope().ifPresent(e -> h.put(REMAINING, Long.toString(e.remaining())));
            c.receipt().ifPresent(r -> h.put(RECEIPT, r.entryHash().hex()));
            if (cachedBody != null) {
                h.put(CACHE, "hit");
            }
            return h;
        }

        private CallError refusal(PaidOutcome outcome, ModelWork work) {
            return switch (outcome) {
                case PaidOutcome.Failed f -> work.failure().orElseGet(
                        () -> Refusals.of(f.refusal(), request, pricing, envelope()));
                default -> CallError.internal("the call ended unexpectedly ("
                        + outcome.getClass().getSimpleName() + "); nothing was charged");
            };
        }

        private Optional<Envelope> envelope() {
            return envelopes.find(Bytes32.fromHex(key.mandateId()));
        }

        // FlowListener: a model call has no buyer to cancel and stores nothing before settling
        // (the defaults); it records its hold and forgets it at the end.

        @Override
        public void held(Reservation reservation) {
            held = reservation;
            if (reservation != null) {
                calls.begin(reservation);
            }
        }

        @Override
        public void ended(PaidOutcome outcome) {
            if (held != null) {
                calls.end(held);
            }
        }
    }
}
