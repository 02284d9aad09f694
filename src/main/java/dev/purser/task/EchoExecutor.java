package dev.purser.task;

import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Part;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The free demo skill: completes with one artifact holding the text it was sent. A message with
 * no text part gets asked for some (input-required), so a follow-up turn continues the task.
 */
@ApplicationScoped
public class EchoExecutor implements AgentExecutor {

    @Override
    public String skillId() {
        return "echo";
    }

    @Override
    public void execute(TaskContext ctx) {
        ctx.working();
        if (!ctx.message().hasText()) {
            ctx.requireInput(textMessage("Send the text to echo."), null);
            return;
        }
        ctx.addArtifact(new Artifact(TaskIds.random(), "echo", null,
                List.of(Part.text(ctx.message().text())), null, null), false, true);
        ctx.complete(null);
    }

    private static dev.purser.a2a.spec.Message textMessage(String text) {
        return dev.purser.a2a.spec.Message.agent(TaskIds.random(), List.of(Part.text(text)));
    }
}
