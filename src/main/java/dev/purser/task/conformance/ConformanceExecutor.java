package dev.purser.task.conformance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.task.AgentExecutor;
import dev.purser.task.TaskContext;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The TCK's system-under-test behaviour (its SUT requirements and reference executors): the
 * scenario is picked by the longest matching messageId prefix, for every message, follow-ups
 * included. A {@code tck-} id without a scenario completes (the 1.0 suite's default); any other
 * id leaves the task waiting for input, which the 0.3 suite needs (continuable and cancelable).
 */
@ApplicationScoped
@LookupIfProperty(name = "purser.conformance", stringValue = "true")
public class ConformanceExecutor implements AgentExecutor {

    /** How long {@code test-resubscribe-message-id} stays working (≥ 2 × the TCK's 2 s timeout). */
    static final long RESUBSCRIBE_WORK_MILLIS = 4_000;

    private static final Map<String, Consumer<TaskContext>> SCENARIOS = Map.ofEntries(
            Map.entry("tck-complete-task", ctx -> {
                ctx.working();
                ctx.complete(agent("Hello from TCK"));
            }),
            Map.entry("tck-input-required", ctx -> {
                ctx.working();
                ctx.requireInput(agent("Input required by TCK"), null);
            }),
            Map.entry("tck-artifact-text", ctx -> artifactThenComplete(ctx,
                    Part.text("Generated text content"))),
            Map.entry("tck-artifact-file-url", ctx -> artifactThenComplete(ctx,
                    new Part(null, null, "https://example.com/output.txt", null, null,
                            "output.txt", "text/plain"))),
            Map.entry("tck-artifact-file", ctx -> artifactThenComplete(ctx,
                    new Part(null, "dGNr", null, null, null, "output.txt", "text/plain"))),
            Map.entry("tck-artifact-data", ctx -> artifactThenComplete(ctx, dataPart())),
            Map.entry("tck-message-response", ctx -> ctx.respond(agent("Direct message response"))),
            Map.entry("tck-reject-task", ctx -> ctx.reject("rejected")),
            Map.entry("tck-stream-001", ctx -> streamText(ctx, "Stream hello from TCK")),
            Map.entry("tck-stream-002", ctx -> {
                ctx.working();
                ctx.complete(agent("Stream completed"));
            }),
            Map.entry("tck-stream-003", ctx -> streamText(ctx, "Stream task lifecycle")),
            Map.entry("tck-stream-ordering-001", ctx -> streamText(ctx, "Ordered output")),
            Map.entry("tck-stream-artifact-text", ctx -> streamText(ctx, "Streamed text content")),
            Map.entry("tck-stream-artifact-file", ctx -> {
                ctx.working();
                ctx.addArtifact(artifact(new Part(null, "dGNr", null, null, null, "output.txt",
                        "text/plain")), false, true);
                ctx.complete(null);
            }),
            Map.entry("tck-stream-artifact-chunked", ConformanceExecutor::chunked),
            Map.entry("test-resubscribe-message-id", ConformanceExecutor::slowWork));

    /** Longest first, so that tck-artifact-file-url wins over tck-artifact-file. */
    private static final List<String> PREFIXES = SCENARIOS.keySet().stream()
            .sorted(Comparator.comparingInt(String::length).reversed()).toList();

    @Override
    public String skillId() {
        return "tck";
    }

    @Override
    public boolean answersEverything() {
        return true;
    }

    @Override
    public void execute(TaskContext ctx) {
        scenario(ctx.message().messageId()).accept(ctx);
    }

    static Consumer<TaskContext> scenario(String messageId) {
        for (String prefix : PREFIXES) {
            if (messageId.startsWith(prefix)) {
                return SCENARIOS.get(prefix);
            }
        }
        if (messageId.startsWith("tck-")) {
            return ctx -> {
                ctx.working();
                ctx.complete(agent("Unhandled messageId prefix: " + messageId));
            };
        }
        // The 0.3 suite's default: a task that stays open, continuable and cancelable.
        return ctx -> {
            ctx.working();
            ctx.requireInput(agent("Waiting for the next message"), null);
        };
    }

    private static void artifactThenComplete(TaskContext ctx, Part part) {
        ctx.working();
        ctx.addArtifact(artifact(part), false, true);
        ctx.complete(null);
    }

    private static void streamText(TaskContext ctx, String text) {
        ctx.working();
        ctx.addArtifact(artifact(Part.text(text)), false, true);
        ctx.complete(null);
    }

    private static void chunked(TaskContext ctx) {
        ctx.working();
        String id = UUID.randomUUID().toString();
        ctx.addArtifact(new Artifact(id, "chunked", null, List.of(Part.text("chunk-1 ")), null,
                null), true, false);
        ctx.addArtifact(new Artifact(id, "chunked", null, List.of(Part.text("chunk-2")), null,
                null), true, true);
        ctx.complete(null);
    }

    private static void slowWork(TaskContext ctx) {
        ctx.working();
        long until = System.currentTimeMillis() + RESUBSCRIBE_WORK_MILLIS;
        while (System.currentTimeMillis() < until && !ctx.isCanceled()) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!ctx.isCanceled()) {
            ctx.complete(agent("Resubscribe scenario done"));
        }
    }

    private static Part dataPart() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("key", "value");
        data.put("count", 42);
        return new Part(null, null, null, data, null, null, "application/json");
    }

    private static Artifact artifact(Part part) {
        return new Artifact(UUID.randomUUID().toString(), "result", null, List.of(part), null, null);
    }

    private static Message agent(String text) {
        return Message.agent(UUID.randomUUID().toString(), List.of(Part.text(text)));
    }
}
