package dev.purser.market;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A service Purser offers: what the card lists, plus its price when it is not free. */
public record Skill(String id, String name, String description, List<String> tags,
        List<String> examples, List<String> inputModes, List<String> outputModes,
        Optional<Price> price) {

    public Skill {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        tags = List.copyOf(tags);
        examples = List.copyOf(examples);
        inputModes = List.copyOf(inputModes);
        outputModes = List.copyOf(outputModes);
        Objects.requireNonNull(price, "price");
    }

    public boolean isPaid() {
        return price.isPresent();
    }
}
