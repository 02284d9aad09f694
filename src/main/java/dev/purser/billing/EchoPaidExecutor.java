package dev.purser.billing;

import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Task;
import dev.purser.market.SkillCatalog;
import dev.purser.task.AgentExecutor;
import dev.purser.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * The paid demo skill: echoes the text of the task's first message, once its price is paid with
 * x402 (the payment turn itself carries no text to echo).
 */
@ApplicationScoped
public class EchoPaidExecutor implements AgentExecutor {

    private final PaymentGate gate;
    private final SkillCatalog catalog;

    public EchoPaidExecutor(PaymentGate gate, SkillCatalog catalog) {
        this.gate = gate;
        this.catalog = catalog;
    }

    @Override
    public String skillId() {
        return "echo-paid";
    }

    @Override
    public boolean isRepeat(Task task, Message message) {
        return gate.isRepeat(task, message);
    }

    @Override
    public void execute(TaskContext ctx) {
        gate.run(ctx, catalog.find(skillId()).orElseThrow(), () -> {
            String text = ctx.task().history().stream().filter(Message::hasText).findFirst()
                    .map(Message::text).orElse("");
            ctx.addArtifact(new Artifact(UUID.randomUUID().toString(), "echo", null,
                    List.of(Part.text(text)), null, null), false, true);
        });
    }
}
