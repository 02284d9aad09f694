package dev.purser.bench.reference;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.a2a.server.PublicAgentCard;
import io.a2a.spec.AgentCapabilities;
import io.a2a.spec.AgentCard;
import io.a2a.spec.AgentSkill;

/**
 * The card the SDK serves at /.well-known/agent-card.json. Overrides the SDK's @DefaultBean,
 * which throws; the JSON-RPC handler validates its transports against the classpath at start.
 */
@ApplicationScoped
public class EchoAgentCardProducer {

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "9999")
    int port;

    @Produces
    @PublicAgentCard
    public AgentCard agentCard() {
        return new AgentCard.Builder()
                .name("A2A SDK reference echo")
                .description("Benchmark baseline: echoes the input text as an artifact")
                .url("http://127.0.0.1:" + port + "/")
                .preferredTransport("JSONRPC")
                .version("0.1.0")
                .capabilities(new AgentCapabilities.Builder()
                        .streaming(true)
                        .pushNotifications(false)
                        .stateTransitionHistory(false)
                        .build())
                .defaultInputModes(List.of("text"))
                .defaultOutputModes(List.of("text"))
                .skills(List.of(new AgentSkill.Builder()
                        .id("echo")
                        .name("Echo")
                        .description("Completes the task with an artifact holding the input text")
                        .tags(List.of("echo"))
                        .examples(List.of("hi"))
                        .build()))
                .protocolVersion("0.3.0")
                .build();
    }
}
