package dev.purser.task;

import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Task;
import dev.purser.market.Skill;
import dev.purser.market.Marketplace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The executors by the skill each serves, and which skill a new task is for: the one its message
 * names, else the only one that takes the message's media types, else the first free one. The
 * conformance executor, when configured, answers everything and skill routing is off.
 */
final class SkillExecutors {

    private static final Logger LOG = Logger.getLogger(SkillExecutors.class);
    /** Choices kept per marketplace copy, at most: the few media-type sets clients send. */
    private static final int MAX_CHOICES_KEPT = 64;

    private final Marketplace market;
    private final Map<String, AgentExecutor> executors = new HashMap<>();
    /** Executors that serve skills besides their own (the delegating executor). */
    private final List<AgentExecutor> routers = new ArrayList<>();
    private final AgentExecutor everything; // the conformance executor, when configured
    /** The served skills, kept while the marketplace hands out the same list (its version). */
    private volatile Served served = new Served(List.of(), List.of());

    /**
     * {@code byTypes}: the skill chosen for messages whose parts have these media types (a choice
     * depends on nothing else), so that a new task does not filter every skill again.
     */
    private record Served(List<Skill> all, List<Skill> served, Map<Set<String>, Skill> byTypes) {
        Served(List<Skill> all, List<Skill> served) {
            this(all, served, new ConcurrentHashMap<>());
        }
    }

    SkillExecutors(Marketplace market, Iterable<AgentExecutor> all) {
        this.market = market;
        AgentExecutor any = null;
        for (AgentExecutor e : all) {
            if (executors.putIfAbsent(e.skillId(), e) != null) {
                throw new IllegalStateException("two executors serve skill " + e.skillId());
            }
            if (e.servesOthers()) {
                routers.add(e);
            }
            if (e.answersEverything()) {
                any = e;
            }
        }
        this.everything = any;
        if (any != null) {
            LOG.warnf("conformance mode: executor %s answers every message", any.skillId());
        }
    }

    /**
     * The executor of {@code skill}: one that routes it (a service remote providers offer, whose
     * router may hand the turn to the local skill), else the skill's own; null when none.
     */
    AgentExecutor of(String skill) {
        for (AgentExecutor r : routers) {
            if (r.serves(skill)) {
                return r;
            }
        }
        return executors.get(skill);
    }

    /** True when {@code skill}'s executor says {@code m} repeats a turn it took on {@code task}. */
    boolean repeats(String skill, Task task, Message m) {
        AgentExecutor e = of(skill);
        return e != null && e.isRepeat(task, m);
    }

    /** The skill a new task that starts with {@code m} is for. */
    String skillFor(Message m) {
        return everything != null ? everything.skillId() : chooseSkill(m).id();
    }

    /**
     * The skill a new task is for: the one named in {@code purser.skill}, else the only skill that
     * takes all the message's parts' media types, else the first free skill.
     */
    private Skill chooseSkill(Message m) {
        String named = m.metadata() == null ? null
                : Optional.ofNullable(m.metadata().get(TaskService.SKILL_KEY)).map(n -> n.asText())
                        .orElse(null);
        if (named != null) {
            return skills().stream().filter(s -> s.id().equals(named)).findFirst().orElseThrow(() ->
                    A2aFailure.invalidParams("message.metadata." + TaskService.SKILL_KEY,
                            "names no skill this agent serves: " + named));
        }
        Served current = served();
        Set<String> types = mediaTypes(m);
        Skill chosen = current.byTypes().get(types);
        if (chosen == null) {
            chosen = chooseByTypes(current.served(), types);
            if (current.byTypes().size() < MAX_CHOICES_KEPT) { // media types are the caller's
                current.byTypes().put(types, chosen);
            }
        }
        return chosen;
    }

    private static Skill chooseByTypes(List<Skill> served, Set<String> types) {
        List<Skill> matching = served.stream().filter(s -> accepts(s, types)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        return served.stream().filter(s -> !s.isPaid()).findFirst().orElseThrow(() ->
                A2aFailure.invalidParams("message.metadata." + TaskService.SKILL_KEY,
                        "is required: no single skill matches this message"));
    }

    /** The skills this agent serves: every marketplace service that has an executor here. */
    private List<Skill> skills() {
        return served().served();
    }

    private Served served() {
        List<Skill> all = market.skills();
        Served s = served;
        if (s.all() != all) { // the marketplace was rebuilt (a provider change): filter again
            s = new Served(all, all.stream().filter(k -> of(k.id()) != null).toList());
            served = s;
        }
        return s;
    }

    /** The media types of a message's parts, as a skill's input modes name them. */
    private static Set<String> mediaTypes(Message m) {
        if (m.parts().size() == 1) {
            return Set.of(mediaType(m.parts().get(0)));
        }
        Set<String> types = new HashSet<>();
        m.parts().forEach(p -> types.add(mediaType(p)));
        return types;
    }

    private static String mediaType(Part p) {
        return p.isText() ? "text/plain"
                : p.mediaType() != null ? p.mediaType() : "application/octet-stream";
    }

    private static boolean accepts(Skill s, Set<String> types) {
        if (s.inputModes().isEmpty()) {
            return true;
        }
        return s.inputModes().contains("*/*") || s.inputModes().containsAll(types);
    }
}
