package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the {@code agent-card/} template: from the working directory (or {@code PURSER_CARD_DIR})
 * when present, so an operator edits it without rebuilding; else the packaged copy.
 */
public final class TemplateFiles {

    private final Path dir;
    private final ObjectMapper json;

    public TemplateFiles(Path dir, ObjectMapper json) {
        this.dir = dir;
        this.json = json;
    }

    public Optional<JsonNode> read(String name) {
        try {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return Optional.of(json.readTree(file.toFile()));
            }
            try (InputStream in = TemplateFiles.class.getClassLoader()
                    .getResourceAsStream("agent-card/" + name)) {
                return in == null ? Optional.empty() : Optional.of(json.readTree(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("agent-card/" + name + " is not valid JSON", e);
        }
    }
}
