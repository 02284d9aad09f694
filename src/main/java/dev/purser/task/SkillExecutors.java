package dev.purser.task;

import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Task;
import dev.purser.market.Skill;
import dev.purser.market.Marketplace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The executors by the skill each serves, and which skill a new task is for: the one its message
 * names, else the only one that takes the message's media types, else the first free one. The
 * conformance executor, when configured, answers everything and skill routing is off.
 */
final class SkillExecutors {

    private static final Logger LOG = Logger.getLogger(SkillExecutors.class);

    private final Marketplace market;
    private final Map<String, AgentExecutor> executors = new HashMap<>();
    /** Executors that serve skills besides their own (the delegating executor). */
    private final List<AgentExecutor> routers = new ArrayList<>();
    private final AgentExecutor everything; // the conformance executor, when configured
    /** The served skills, kept while the marketplace hands out the same list (its version). */
    private volatile Served served = new Served(List.of(), List.of());

    private record Served(List<Skill> all, List<Skill> served) {
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
        List<Skill> served = skills();
        List<Skill> matching = served.stream().filter(s -> accepts(s, m)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        return served.stream().filter(s -> !s.isPaid()).findFirst().orElseThrow(() ->
                A2aFailure.invalidParams("message.metadata." + TaskService.SKILL_KEY,
                        "is required: no single skill matches this message"));
    }

    /** The skills this agent serves: every marketplace service that has an executor here. */
    private List<Skill> skills() {
        List<Skill> all = market.skills();
        Served s = served;
        if (s.all() != all) { // the marketplace was rebuilt (a provider change): filter again
            s = new Served(all, all.stream().filter(k -> of(k.id()) != null).toList());
            served = s;
        }
        return s.served();
    }

    private static boolean accepts(Skill s, Message m) {
        if (s.inputModes().isEmpty()) {
            return true;
        }
        return m.parts().stream().allMatch(p -> {
            String type = p.isText() ? "text/plain"
                    : p.mediaType() != null ? p.mediaType() : "application/octet-stream";
            return s.inputModes().contains(type) || s.inputModes().contains("*/*");
        });
    }
}
