package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Applies {@code PURSER_MODELS_FILE} at start: {@code {"upstreams": [<registration body>...]}}, or
 * a bare array of bodies. Idempotent: an entry updates the upstream of its base URL (on any number
 * of instances at once, one upstream). Nothing in it depends on another service being up, so a
 * file that cannot be read, or an entry that is refused, stops the start with the reason: a
 * pricing mistake must not go unnoticed.
 */
@ApplicationScoped
class ModelsFile {

    private static final Logger LOG = Logger.getLogger(ModelsFile.class);

    private final ModelUpstreams upstreams;
    private final MarketConfig config;
    private final ObjectMapper json;

    ModelsFile(ModelUpstreams upstreams, MarketConfig config, ObjectMapper json) {
        this.upstreams = upstreams;
        this.config = config;
        this.json = json;
    }

    void start(@Observes StartupEvent ev) {
        config.modelsFile().filter(f -> !f.isBlank()).ifPresent(this::apply);
    }

    /** Registers every entry of the file; returns how many. */
    int apply(String file) {
        JsonNode root;
        try {
            root = json.readTree(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("PURSER_MODELS_FILE " + file + " cannot be read", e);
        }
        JsonNode bodies = root != null && root.isObject() ? root.get("upstreams") : root;
        if (bodies == null || !bodies.isArray()) {
            throw new IllegalStateException("PURSER_MODELS_FILE " + file + " must hold"
                    + " {\"upstreams\": [...]} or a JSON array of model upstream registrations");
        }
        for (int i = 0; i < bodies.size(); i++) {
            JsonNode body = bodies.get(i);
            switch (upstreams.register(body)) {
                case ModelUpstreams.Saved s -> LOG.infof("model upstream %s (%s) from the models file: %s",
                        s.upstream().upstream().id, s.upstream().upstream().baseUrl,
                        s.upstream().models().stream().filter(m -> m.active).map(m -> m.modelId).toList());
                case ModelUpstreams.Refused r -> throw new IllegalStateException("PURSER_MODELS_FILE "
                        + file + ", upstream " + i + " (" + body.path("baseUrl").asText("?") + "): "
                        + (r.refusal().field() == null ? "" : r.refusal().field() + ": ")
                        + r.refusal().message());
            }
        }
        return bodies.size();
    }
}
