package dev.purser.a2a.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** An output of a task; at least one part, id unique within its task. */
public record Artifact(String artifactId, String name, String description, List<Part> parts,
        ObjectNode metadata, List<String> extensions) {

    public Artifact {
        Objects.requireNonNull(artifactId, "artifactId");
        parts = List.copyOf(parts);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
    }

    public Artifact withMoreParts(List<Part> more) {
        List<Part> all = new java.util.ArrayList<>(parts);
        all.addAll(more);
        return new Artifact(artifactId, name, description, all, metadata, extensions);
    }
}
