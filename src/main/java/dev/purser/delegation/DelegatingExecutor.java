package dev.purser.delegation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.billing.PaidWork;
import dev.purser.billing.PaymentGate;
import dev.purser.ledger.Envelopes;
import dev.purser.market.Candidate;
import dev.purser.market.Marketplace;
import dev.purser.market.Price;
import dev.purser.market.RouteMode;
import dev.purser.market.Router;
import dev.purser.market.Skill;
import dev.purser.task.AgentExecutor;
import dev.purser.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Serves every marketplace service that a remote provider offers (DESIGN §9 "Calling"): routes
 * the task by {@code purser.route} and {@code purser.provider}, quotes the chosen offer's price,
 * and sells it through the paid flow like a local skill, with a {@link RemoteWork} that fails over
 * only to offers within the quote. When the route picks this server's own skill, its executor
 * does the turn. A free service (price 0) is delegated at once. A new task may be answered from
 * the {@link ResultCache}, and a completed one's answer is kept there.
 */
@ApplicationScoped
public class DelegatingExecutor implements AgentExecutor {

    /** Message metadata: {@code cost} (default) | {@code speed} | {@code quality} | {@code balanced}. */
    public static final String ROUTE_KEY = "purser.route";
    /** Message metadata: the provider id whose offer must serve the task. */
    public static final String PROVIDER_KEY = "purser.provider";

    private final Marketplace market;
    private final Router router;
    private final PaymentGate gate;
    private final ProviderCalls providers;
    private final Instance<AgentExecutor> executors;
    private final ResultCache cache;
    private final Envelopes envelopes;

    DelegatingExecutor(Marketplace market, Router router, PaymentGate gate, ProviderCalls providers,
            Instance<AgentExecutor> executors, ResultCache cache, Envelopes envelopes) {
        this.envelopes = envelopes;
        this.market = market;
        this.router = router;
        this.gate = gate;
        this.providers = providers;
        this.executors = executors;
        this.cache = cache;
    }

    @Override
    public String skillId() {
        return "purser.delegation"; // no skill has this id: it serves the remote services
    }

    @Override
    public boolean serves(String skillId) {
        return market.service(skillId)
                .map(s -> s.offers().stream().anyMatch(o -> !o.isLocal())).orElse(false);
    }

    @Override
    public boolean servesOthers() {
        return true;
    }

    @Override
    public boolean isRepeat(Task task, Message message) {
        return gate.isRepeat(task, message);
    }

    @Override
    public void execute(TaskContext ctx) {
        String serviceId = ctx.skillId();
        Message first = firstUserMessage(ctx);
        String route = text(first, ROUTE_KEY);
        Optional<RouteMode> mode = RouteMode.parse(route);
        if (route != null && mode.isEmpty()) {
            ctx.reject(ROUTE_KEY + " must be one of cost, speed, quality, balanced; got '" + route + "'");
            return;
        }
        Optional<String> pinned = Optional.ofNullable(text(first, PROVIDER_KEY));
        Optional<Long> quoted = PaymentGate.quoted(ctx.task());
        JsonNode prior = ctx.task().metadata() == null ? null
                : ctx.task().metadata().get(RemoteWork.DELEGATION_KEY);
        if (quoted.isEmpty() && prior != null && ctx.task().state() == TaskState.INPUT_REQUIRED
                && prior.hasNonNull("providerTaskId")) {
            followUp(ctx, serviceId, prior.get("provider").asText(),
                    prior.get("providerTaskId").asText(), Hops.of(first).then(self()));
            return;
        }
        Optional<CacheKey> key = CacheKey.of(ctx, first);
        boolean isNew = quoted.isEmpty() && first.messageId().equals(ctx.message().messageId());
        if (isNew && key.isPresent() && cache.answer(ctx, key.get(), offersOf(serviceId, pinned))) {
            return; // before routing: a hit claims no probe and records no attempt
        }
        String self = self();
        Hops hops = Hops.of(first);
        Optional<String> noFurther = hops.refusal(self, providers.config.delegationMaxHops());
        List<Candidate> offers = router.route(serviceId, mode.orElse(RouteMode.COST), pinned).stream()
                .filter(o -> quoted.isEmpty() || o.price() <= quoted.get())
                .filter(o -> noFurther.isEmpty() || o.isLocal()).toList();
        if (offers.isEmpty()) {
            ctx.reject(noFurther.orElseGet(() -> pinned
                    .map(p -> "provider " + p + " offers no available service " + serviceId)
                    .orElse("no offer of " + serviceId + " is available now"
                            + (quoted.isPresent() ? " within the quoted price" : ""))));
            return;
        }
        Candidate best = offers.get(0);
        if (best.isLocal()) {
            localExecutor(serviceId).ifPresentOrElse(e -> e.execute(ctx),
                    () -> ctx.reject("skill " + serviceId + " has no executor here"));
            return;
        }
        List<Candidate> remote = offers.stream().filter(o -> !o.isLocal())
                .limit(1 + (long) providers.config.failoverMax()).toList();
        boolean free = quoted.isEmpty() && best.price() == 0;
        RemoteWork work = new RemoteWork(ctx, first.parts(), remote, providers, null, free,
                hops.then(self));
        if (free) {
            runFree(ctx, work);
        } else {
            gate.run(ctx, sale(serviceId, best), best.providerId(), work);
        }
        key.ifPresent(k -> cache.remember(ctx, k, work));
    }

    /** The service as sold at {@code best}'s price. */
    private Skill sale(String serviceId, Candidate best) {
        Marketplace.Service service = market.service(serviceId).orElseThrow();
        return new Skill(serviceId, service.name(), service.description(), service.tags(),
                service.examples(), service.inputModes(), service.outputModes(),
                Optional.of(new Price(best.price(), "USDC")));
    }

    /** Every offer of the service, or the pinned provider's: those a cached answer may come from. */
    private List<Candidate> offersOf(String serviceId, Optional<String> pinned) {
        return market.service(serviceId).map(Marketplace.Service::offers).orElse(List.of()).stream()
                .filter(o -> pinned.isEmpty() || pinned.get().equals(o.providerId())).toList();
    }

    /** The buyer answers the provider's question: the message goes to the same provider task. */
    private void followUp(TaskContext ctx, String serviceId, String providerId, String remoteTaskId,
            com.fasterxml.jackson.databind.node.ArrayNode via) {
        List<Candidate> same = router.route(serviceId, RouteMode.COST, Optional.of(providerId))
                .stream().filter(o -> !o.isLocal()).limit(1).toList();
        if (same.isEmpty()) {
            ctx.fail("provider " + providerId + " no longer offers " + serviceId
                    + "; its task " + remoteTaskId + " cannot go on");
            return;
        }
        runFree(ctx, new RemoteWork(ctx, ctx.message().parts(), same, providers, remoteTaskId, true,
                via));
    }

    /** Free work: the task is working at once, then ends as the provider's answer says. */
    private static void runFree(TaskContext ctx, RemoteWork work) {
        ctx.working(); // stored and streamed now: the buyer can follow or cancel it at once
        switch (work.perform()) {
            case PaidWork.Done d -> work.waitingForInput().ifPresentOrElse(
                    q -> ctx.requireInput(new Message(UUID.randomUUID().toString(), Role.AGENT,
                            q.parts(), null, null, null, null, null), null),
                    () -> ctx.complete(null));
            case PaidWork.Failed f -> ctx.fail(f.detail());
        }
    }

    /** This server's identity in {@code purser.via}: its card's {@code receiptSigner}. */
    private String self() {
        return envelopes.receiptSigner().checksummed();
    }

    private Optional<AgentExecutor> localExecutor(String skillId) {
        return executors.stream().filter(e -> !e.servesOthers() && e.skillId().equals(skillId)).findFirst();
    }

    /** The task's first user message (routing and content), else the turn's message. */
    private static Message firstUserMessage(TaskContext ctx) {
        return ctx.task().history().stream().filter(m -> m.role() == Role.USER).findFirst()
                .orElse(ctx.message());
    }

    private static String text(Message m, String key) {
        ObjectNode md = m.metadata();
        JsonNode v = md == null ? null : md.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
