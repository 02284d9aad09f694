package dev.purser.market;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The models Purser sells per token (DESIGN §11) and their offers, one per upstream. Kept in
 * memory and rebuilt when {@link MarketVersion} moves (two queries), so a read costs no query
 * within {@code PURSER_MARKET_VERSION_CHECK} and an upstream change made on any instance shows
 * everywhere within it.
 */
@ApplicationScoped
public class ModelCatalog {

    private record Built(List<String> ids, Map<String, List<ModelOffer>> byModel) {
    }

    private final ModelStore store;
    private final long defaultMaxOutput;
    private final VersionedCopy<Built> built;

    ModelCatalog(ModelStore store, MarketVersion version, MarketConfig config) {
        this.store = store;
        this.built = new VersionedCopy<>(version, this::build);
        this.defaultMaxOutput = config.models().defaultMaxOutput();
        if (defaultMaxOutput < 1 || defaultMaxOutput > ModelRegistration.MAX_OUTPUT) {
            throw new IllegalStateException("PURSER_MODELS_DEFAULT_MAX_OUTPUT must be 1 to "
                    + ModelRegistration.MAX_OUTPUT + " tokens, not " + defaultMaxOutput);
        }
    }

    /** Every model id with at least one active offer, sorted (for GET /v1/models). */
    public List<String> modelIds() {
        return current().ids();
    }

    /**
     * The active offers of a model, unordered (the caller orders them with Router.order); empty
     * when unknown (or null).
     */
    public List<ModelOffer> offers(String modelId) {
        return modelId == null ? List.of() : current().byModel().getOrDefault(modelId, List.of());
    }

    private Built current() {
        return built.get();
    }

    private Built build() {
        Map<String, List<ModelOffer>> byModel = new TreeMap<>();
        for (ModelOffer o : store.routable(defaultMaxOutput)) {
            byModel.computeIfAbsent(o.modelId(), k -> new ArrayList<>()).add(o);
        }
        byModel.replaceAll((k, list) -> List.copyOf(list));
        return new Built(List.copyOf(byModel.keySet()), Map.copyOf(byModel));
    }
}
