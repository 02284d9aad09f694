package dev.purser.bench.reference;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.a2a.server.agentexecution.AgentExecutor;
import io.a2a.server.agentexecution.RequestContext;
import io.a2a.server.events.EventQueue;
import io.a2a.server.tasks.TaskUpdater;
import io.a2a.spec.JSONRPCError;
import io.a2a.spec.Part;
import io.a2a.spec.Task;
import io.a2a.spec.TaskNotCancelableError;
import io.a2a.spec.TaskState;
import io.a2a.spec.TaskStatus;
import io.a2a.spec.TextPart;

/**
 * The same work as Purser's free {@code echo} skill, so the benchmark compares the servers, not
 * the skills: the task goes submitted → working → artifact (the input text) → completed.
 * Tasks live in the SDK's default InMemoryTaskStore (no producer here, so the SDK's is used).
 */
@ApplicationScoped
public class EchoAgentExecutorProducer {

    @Produces
    public AgentExecutor agentExecutor() {
        return new EchoAgentExecutor();
    }

    static final class EchoAgentExecutor implements AgentExecutor {

        @Override
        public void execute(RequestContext context, EventQueue eventQueue) throws JSONRPCError {
            if (context.getTask() == null) {
                // A new task: publish it first, as the SDK's TCK executor does.
                eventQueue.enqueueEvent(new Task.Builder()
                        .id(context.getTaskId())
                        .contextId(context.getContextId())
                        .status(new TaskStatus(TaskState.SUBMITTED))
                        .history(context.getMessage())
                        .build());
            }
            TaskUpdater updater = new TaskUpdater(context, eventQueue);
            updater.startWork();
            String text = context.getUserInput("\n");
            updater.addArtifact(List.<Part<?>>of(new TextPart(text == null ? "" : text)), null, "echo", null);
            updater.complete();
        }

        @Override
        public void cancel(RequestContext context, EventQueue eventQueue) throws JSONRPCError {
            // Echo completes synchronously inside execute(), so there is never anything to cancel.
            throw new TaskNotCancelableError();
        }
    }
}
