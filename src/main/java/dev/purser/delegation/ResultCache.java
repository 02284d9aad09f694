package dev.purser.delegation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.purser.a2a.spec.TaskState;
import dev.purser.market.Candidate;
import dev.purser.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The result cache's rules (DESIGN §9 "Result cache"). The TTL belongs to an offer, as the
 * operator registered the provider's skill: an answer is kept for the TTL of the offer that
 * served it, and given back only while that offer is still one the request could be routed to
 * (the service's, the pinned provider's when one is pinned) and still has a TTL. A hit completes
 * the task at once with the cached artifacts: nothing is asked, paid, sent or recorded.
 */
@ApplicationScoped
class ResultCache {

    private final CacheStore store;

    ResultCache(CacheStore store) {
        this.store = store;
    }

    /**
     * Completes a new task from the cache when {@code key} holds a live answer served by one of
     * {@code offers} that caches; false (the task untouched) otherwise.
     */
    boolean answer(TaskContext ctx, CacheKey key, List<Candidate> offers) {
        Set<String> caching = offers.stream().filter(o -> !o.isLocal() && o.cacheTtl().isPresent())
                .map(Candidate::providerId).collect(Collectors.toSet());
        Optional<CacheStore.Answer> hit = caching.isEmpty() ? Optional.empty()
                : store.find(key).filter(a -> caching.contains(a.providerId()));
        if (hit.isEmpty()) {
            return false;
        }
        CacheStore.Answer a = hit.get();
        a.artifacts().forEach(art -> ctx.addArtifact(art, false, true));
        ctx.putMetadata(RemoteWork.DELEGATION_KEY, RemoteWork.record(a.providerId(),
                a.providerTaskId(), JsonNodeFactory.instance.arrayNode(), true));
        ctx.complete(null);
        return true;
    }

    /**
     * Keeps the answer of a task that completed (its buyer's payment settled, when it was paid)
     * for the TTL of the offer that served it; nothing when that offer has none.
     */
    void remember(TaskContext ctx, CacheKey key, RemoteWork work) {
        if (ctx.task().state() == TaskState.COMPLETED) {
            work.served().ifPresent(s -> s.offer().cacheTtl()
                    .ifPresent(ttl -> store.store(key, ttl, s.answer())));
        }
    }
}
