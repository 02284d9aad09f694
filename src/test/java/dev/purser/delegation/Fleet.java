package dev.purser.delegation;

import dev.purser.testing.A2aJsAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The a2a-js agents a test started and the providers it registered with Purser, undone together
 * at the end: the providers deleted (no delegation outlives the test), the agents stopped.
 */
final class Fleet implements AutoCloseable {

    private final List<String> providers = new ArrayList<>();
    private final List<A2aJsAgent> agents = new ArrayList<>();

    /** Starts an agent whose one skill is {@code skill}. */
    A2aJsAgent start(A2aJsAgent.Settings settings, String skill) {
        A2aJsAgent agent = A2aJsAgent.start(settings);
        agents.add(agent);
        agent.configure(Map.of("skill", skill));
        return agent;
    }

    /** Registers {@code agent} as the operator, with more registration fields; answers its id. */
    String register(A2aJsAgent agent, String extra) {
        String id = Buyer.register("{\"cardUrl\": \"" + agent.cardUrl() + "\"" + extra + "}");
        providers.add(id);
        return id;
    }

    @Override
    public void close() {
        providers.forEach(Buyer::delete);
        agents.forEach(A2aJsAgent::close);
    }
}
