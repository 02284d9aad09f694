package dev.purser.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Task;
import dev.purser.auth.Caller;
import java.util.Set;

/** What an executor sees of a task and the ways it may move it on. */
public interface TaskContext {

    Task task();

    /** The message that started this turn (in a background step: the task's last message). */
    Message message();

    /** The skill (marketplace service) the task is for. */
    String skillId();

    /**
     * Sets one key of the task's metadata (e.g. {@code purser.delegation}); it is stored with the
     * task's next change.
     */
    void putMetadata(String key, JsonNode value);

    /** Who sent the turn's message; null in a background step ({@link TaskService#resume}). */
    Caller caller();

    /**
     * The extension URIs the turn's request activated ({@code A2A-Extensions} /
     * {@code X-A2A-Extensions}) that this agent supports; empty in a background step.
     */
    Set<String> activatedExtensions();

    void working();

    /** Working, with a status message (e.g. payment metadata) for the client. */
    void working(Message statusMessage);

    void addArtifact(Artifact artifact, boolean append, boolean lastChunk);

    void complete(Message statusMessage);

    void fail(String reason);

    /** Failed, with a status message carrying details (e.g. payment metadata). */
    void fail(Message statusMessage);

    void reject(String reason);

    /** Waits for the client: the status carries the message and the task the metadata. */
    void requireInput(Message statusMessage, ObjectNode taskMetadata);

    /**
     * Answers the first message of a new task with a direct message instead of a task (spec
     * §5.3): nothing is stored. Only as the executor's first act; later it completes the task
     * with this message as the status message.
     */
    void respond(Message reply);

    /** True once the task was canceled by someone else; executors should stop then. */
    boolean isCanceled();

    /**
     * Stores the task as it stands now, so that others see it (a blocking turn otherwise writes
     * once, at its end): e.g. a payment taken and its work under way. False when the task was
     * canceled meanwhile.
     */
    boolean checkpoint();

    /**
     * Ends the turn with the task still working: something outside the turn (the payment
     * reconciler, through {@link TaskService#resume}) will move it on. Without this, a turn that
     * ends working fails the task.
     */
    void continuesLater();

    /**
     * This turn repeats one already taken or under way (the same payment sent twice): it writes
     * nothing, and the caller gets the task as stored once that other turn has written it.
     */
    void answerAsStored();
}
