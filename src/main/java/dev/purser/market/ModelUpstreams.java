package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.net.UrlGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Registers and deletes the model upstreams Purser resells per token (DESIGN §11 "Upstreams"):
 * checks the body and the base URL (the SSRF rule of provider cards, {@code
 * PURSER_MARKET_ALLOW_PRIVATE}) and stores the result. Nothing is fetched: the operator's prices
 * are the offer.
 */
@ApplicationScoped
public class ModelUpstreams {

    /** The outcome of a registration: the upstream, or why not. */
    public sealed interface Result permits Saved, Refused {
    }

    /** @param created whether the upstream was not active before (201 rather than 200) */
    public record Saved(ModelStore.Saved upstream, boolean created) implements Result {
    }

    public record Refused(MarketRefusal refusal) implements Result {
    }

    private final ModelStore store;
    private final MarketVersion version;
    private final UrlGuard guard;

    ModelUpstreams(ModelStore store, MarketVersion version, MarketConfig config) {
        this.store = store;
        this.version = version;
        this.guard = new UrlGuard(config.market().allowPrivate());
    }

    /** A registration body, as posted or as read from the models file. */
    public Result register(JsonNode body) {
        try {
            ModelRegistration r = ModelRegistration.parse(body);
            Optional<String> why = guard.refusalToRegister(r.baseUrl());
            if (why.isPresent()) {
                return new Refused(MarketRefusal.of(MarketRefusal.PRIVATE_ADDRESS,
                        "baseUrl " + r.baseUrl() + " " + why.get(), "baseUrl"));
            }
            ModelStore.Saved saved = store.save(idFor(r.baseUrl()), r);
            version.invalidate();
            return new Saved(saved, saved.created());
        } catch (MarketRefusal.Refused e) {
            return new Refused(e.refusal());
        }
    }

    public Optional<ModelStore.Saved> find(String id) {
        return store.find(id);
    }

    public List<ModelStore.Saved> all() {
        return store.all();
    }

    public Optional<ModelStore.Saved> delete(String id) {
        Optional<ModelStore.Saved> deleted = store.delete(id);
        version.invalidate();
        return deleted;
    }

    /** An upstream's id: stable for its base URL, so every instance and restart agrees on it. */
    static String idFor(String baseUrl) {
        return Providers.stableId("u", baseUrl);
    }
}
