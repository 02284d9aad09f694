package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.net.UrlGuard;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Keeps providers current: applies {@code PURSER_PROVIDERS_FILE} at start (idempotently: the same
 * card URL updates its provider), and every {@code PURSER_MARKET_REFRESH} reads each provider's
 * card again. A file entry whose card could not be read at start is tried again every 30 s until
 * it is registered; a provider whose card cannot be read keeps its last known offers.
 */
@ApplicationScoped
class ProviderRefresh {

    private static final Logger LOG = Logger.getLogger(ProviderRefresh.class);

    private final Providers providers;
    private final MarketConfig config;
    private final ObjectMapper json;
    private final List<JsonNode> pending = new CopyOnWriteArrayList<>();

    ProviderRefresh(Providers providers, MarketConfig config, ObjectMapper json) {
        this.providers = providers;
        this.config = config;
        this.json = json;
    }

    void start(@Observes StartupEvent ev) {
        config.providersFile().filter(f -> !f.isBlank()).ifPresent(f -> {
            JsonNode bodies;
            try {
                bodies = json.readTree(Files.readString(Path.of(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("PURSER_PROVIDERS_FILE " + f + " cannot be read", e);
            }
            if (bodies == null || !bodies.isArray()) {
                throw new IllegalStateException("PURSER_PROVIDERS_FILE " + f
                        + " must hold a JSON array of provider registrations");
            }
            bodies.forEach(pending::add);
            applyPending();
        });
    }

    @Scheduled(every = "${purser.market.refresh:10m}", delayed = "${purser.market.refresh:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshAll() {
        Instant due = Instant.now().minus(config.market().refresh().dividedBy(2));
        for (ProviderStore.Saved s : providers.all()) {
            // Another instance may just have refreshed it: skip what is fresh.
            if (s.provider().isActive() && s.provider().refreshedAt.isBefore(due)) {
                providers.refresh(s.provider().id).ifPresent(r -> {
                    if (r instanceof Providers.Refused refused) {
                        LOG.warnf("provider %s (%s): refresh failed, keeping its offers: %s",
                                s.provider().id, s.provider().cardUrl, refused.refusal().message());
                    }
                });
            }
        }
    }

    /**
     * File entries whose card could not be read at start (a provider still starting, or this
     * server itself, which is not listening yet while it starts) are tried again soon.
     */
    @Scheduled(every = "30s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryPending() {
        if (!pending.isEmpty()) {
            applyPending();
        }
    }

    private void applyPending() {
        List<JsonNode> done = new ArrayList<>();
        for (JsonNode body : pending) {
            try {
                switch (providers.register(body)) {
                    case Providers.Saved s -> {
                        done.add(body);
                        LOG.infof("provider %s registered from the providers file (%s)",
                                s.provider().provider().id, s.provider().provider().cardUrl);
                    }
                    case Providers.Refused r -> {
                        if (MarketRefusal.INVALID.equals(r.refusal().code())) {
                            done.add(body); // will never succeed: say so once
                        }
                        LOG.warnf("providers file entry %s refused: %s %s",
                                UrlGuard.forLog(body.path("cardUrl").asText()),
                                r.refusal().code(), r.refusal().message());
                    }
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "providers file entry %s failed",
                        UrlGuard.forLog(body.path("cardUrl").asText()));
            }
        }
        pending.removeAll(done);
    }
}
