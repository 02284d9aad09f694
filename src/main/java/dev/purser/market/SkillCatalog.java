package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The skills Purser serves, from the card template and, when on, the demo skills. */
@ApplicationScoped
public class SkillCatalog {

    private final Map<String, Skill> skills = new LinkedHashMap<>();
    private final TemplateFiles template;

    public SkillCatalog(MarketConfig config, ObjectMapper json) {
        this.template = new TemplateFiles(Path.of(config.cardDir()), json);
        template.read("card.json").map(c -> c.get("skills")).ifPresent(this::addAll);
        if (config.demoSkills()) {
            template.read("demo-skills.json").ifPresent(this::addAll);
        }
    }

    public TemplateFiles template() {
        return template;
    }

    public List<Skill> all() {
        return List.copyOf(skills.values());
    }

    public Optional<Skill> find(String id) {
        return Optional.ofNullable(skills.get(id));
    }

    private void addAll(JsonNode array) {
        if (array == null || !array.isArray()) {
            return;
        }
        for (JsonNode s : array) {
            Skill skill = parse(s);
            if (skills.putIfAbsent(skill.id(), skill) != null) {
                throw new IllegalStateException("agent-card: skill '" + skill.id() + "' is listed twice");
            }
        }
    }

    static Skill parse(JsonNode s) {
        String id = required(s, "id");
        Optional<Price> price = Optional.empty();
        JsonNode p = s.get("price");
        if (p != null && !p.isNull()) {
            String amount = required(p, "amount");
            if (!amount.matches("0|[1-9][0-9]{0,18}")) {
                throw new IllegalStateException("agent-card: skill '" + id
                        + "' price.amount must be a decimal string of atomic units");
            }
            price = Optional.of(new Price(Long.parseLong(amount), required(p, "asset")));
        }
        return new Skill(id, required(s, "name"), required(s, "description"), strings(s, "tags"),
                strings(s, "examples"), strings(s, "inputModes"), strings(s, "outputModes"), price);
    }

    private static String required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalStateException("agent-card: '" + field + "' is required in " + n);
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = n.get(field);
        if (v != null && v.isArray()) {
            v.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
