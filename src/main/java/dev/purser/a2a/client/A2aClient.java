package dev.purser.a2a.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aCallException.Kind;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.SendMessageRequest;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.a2a.spec.TaskStatus;
import dev.purser.net.GuardedHttp;
import dev.purser.net.UrlGuard;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An A2A JSON-RPC client for another agent, in the agent's protocol version (0.3 or 1.0), answering
 * in the one 1.0 model whatever the wire. Every call has its own {@link CallOptions}: a timeout for
 * the whole call, extra headers, extensions to activate. A call either answers in the model or
 * throws an {@link A2aCallException} saying whether the agent was unreachable, too slow, refused
 * with a JSON-RPC error, or answered something else. Thread-safe; one instance serves any number
 * of agents and calls.
 */
public final class A2aClient implements AutoCloseable {

    private static final List<String> WELL_KNOWN = List.of("/.well-known/agent-card.json",
            "/.well-known/agent.json");

    private final RpcTransport rpc;

    /**
     * Any http(s) agent, private addresses included (the command line calls what its user
     * names); HTTP/1.1 (SSE needs no more), 10 s to connect, redirects not followed.
     */
    public A2aClient() {
        this(new UrlGuard(true));
    }

    /**
     * Only agents {@code guard} allows, each call connected to the address the guard checked
     * (no DNS rebinding between the check and the connection): for URLs others gave Purser.
     */
    public A2aClient(UrlGuard guard) {
        this.rpc = new RpcTransport(new GuardedHttp(guard, Duration.ofSeconds(10)));
    }

    /**
     * Reads an agent's card. {@code cardUrl} is the card itself (either well-known path; when it
     * is missing there, the other path is tried) or the agent's base URL (then
     * {@code /.well-known/agent-card.json}, else {@code /.well-known/agent.json}).
     *
     * @throws A2aCallException {@code BAD_ANSWER} when no card is found or it is not a card an
     *     A2A client can call (the message says why)
     */
    public RemoteCard card(String cardUrl, CallOptions options) throws A2aCallException {
        URI given = URI.create(cardUrl);
        List<URI> candidates = new ArrayList<>();
        String text = given.toString();
        String wellKnown = WELL_KNOWN.stream().filter(text::endsWith).findFirst().orElse(null);
        if (wellKnown != null) {
            String base = text.substring(0, text.length() - wellKnown.length());
            candidates.add(given);
            WELL_KNOWN.stream().filter(p -> !p.equals(wellKnown))
                    .forEach(p -> candidates.add(URI.create(base + p)));
        } else if (given.getPath() != null && given.getPath().endsWith(".json")) {
            candidates.add(given);
        } else {
            String base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            WELL_KNOWN.forEach(p -> candidates.add(URI.create(base + p)));
        }
        for (URI url : candidates) {
            RpcTransport.Fetched r = rpc.get(url, options);
            if (r.status() == 404 || r.status() == 410) {
                continue;
            }
            if (r.status() != 200) {
                throw new A2aCallException(Kind.BAD_ANSWER, "the card at " + url
                        + " answered HTTP " + r.status(), 0, null, r.status(), null);
            }
            try {
                return RemoteCard.parse(url, RpcTransport.JSON.readTree(r.body()));
            } catch (IOException | IllegalArgumentException e) {
                throw A2aCallException.of(Kind.BAD_ANSWER, "the card at " + url
                        + " is not an A2A agent card: " + e.getMessage(), e);
            }
        }
        throw A2aCallException.of(Kind.BAD_ANSWER, "no agent card at " + candidates);
    }

    /** Blocking send ({@code SendMessage} / {@code message/send}): the task or direct message. */
    public SendResult send(AgentEndpoint agent, SendMessageRequest request, CallOptions options)
            throws A2aCallException {
        JsonNode result = rpc.call(agent, agent.version().sendMethod(),
                WireAnswers.sendParams(agent.version(), request), options);
        try {
            return WireAnswers.sendResult(agent.version(), result);
        } catch (RuntimeException e) {
            throw unreadable(agent, e);
        }
    }

    public SendResult send(AgentEndpoint agent, Message message, CallOptions options)
            throws A2aCallException {
        return send(agent, blocking(message), options);
    }

    /**
     * Streaming send ({@code SendStreamingMessage} / {@code message/stream}): every event goes to
     * {@code events}, in order, on the calling thread, as it arrives — the task, then status and
     * artifact updates, until the task is terminal or waits for input, or a direct message comes
     * (or the agent closes the stream). Answers the task as the events left it (artifact chunks
     * appended), or the message. An agent whose card says it does not stream gets a blocking
     * send, and its answer is the one event. An exception thrown by {@code events} stops reading
     * and propagates.
     */
    public SendResult stream(AgentEndpoint agent, SendMessageRequest request, CallOptions options,
            Consumer<StreamEvent> events) throws A2aCallException {
        if (!agent.streaming()) {
            SendResult r = send(agent, request, options);
            events.accept(switch (r) {
                case SendResult.OfTask t -> new StreamEvent.OfTask(t.task());
                case SendResult.OfMessage m -> new StreamEvent.OfMessage(m.message());
            });
            return r;
        }
        SendResult[] last = {null};
        rpc.stream(agent, agent.version().streamMethod(),
                WireAnswers.sendParams(agent.version(), request), options, result -> {
                    StreamEvent event;
                    try {
                        event = WireAnswers.event(agent.version(), result);
                    } catch (RuntimeException e) {
                        throw unreadable(agent, e);
                    }
                    last[0] = fold(last[0], event);
                    events.accept(event);
                    return WireAnswers.ends(agent.version(), result, event);
                });
        if (last[0] == null) {
            throw A2aCallException.of(Kind.BAD_ANSWER, agent.url()
                    + " closed the stream before any event");
        }
        return last[0];
    }

    public SendResult stream(AgentEndpoint agent, Message message, CallOptions options,
            Consumer<StreamEvent> events) throws A2aCallException {
        return stream(agent, blocking(message), options, events);
    }

    /** {@code GetTask} / {@code tasks/get}, with all the history the agent keeps. */
    public Task get(AgentEndpoint agent, String taskId, CallOptions options)
            throws A2aCallException {
        return task(agent, agent.version().getMethod(), taskId, options);
    }

    /** {@code CancelTask} / {@code tasks/cancel}: the task as the agent left it. */
    public Task cancel(AgentEndpoint agent, String taskId, CallOptions options)
            throws A2aCallException {
        return task(agent, agent.version().cancelMethod(), taskId, options);
    }

    /** A user message of one text part, a fresh id, and the metadata given (may be null). */
    public static Message userMessage(String text, ObjectNode metadata) {
        return new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.text(text)), null,
                null, metadata, null, null);
    }

    /** The same message as a follow-up in an existing remote task (and its context). */
    public static Message followUp(Message message, String taskId, String contextId) {
        return message.inTask(taskId, contextId);
    }

    /** A blocking send of {@code message} with no other configuration. */
    public static SendMessageRequest blocking(Message message) {
        return new SendMessageRequest(message, true, null, null, null, null);
    }

    /** Nothing to release: each call has its own connection, closed when it ends. */
    @Override
    public void close() {
    }

    private Task task(AgentEndpoint agent, String method, String taskId, CallOptions options)
            throws A2aCallException {
        JsonNode result = rpc.call(agent, method, WireAnswers.taskParams(taskId, null), options);
        try {
            return WireAnswers.task(agent.version(), result);
        } catch (RuntimeException e) {
            throw unreadable(agent, e);
        }
    }

    /** Applies one stream event to what the stream has said so far. */
    static SendResult fold(SendResult before, StreamEvent event) {
        Task task = before instanceof SendResult.OfTask t ? t.task() : null;
        return switch (event) {
            case StreamEvent.OfMessage m -> new SendResult.OfMessage(m.message());
            case StreamEvent.OfTask t -> new SendResult.OfTask(t.task());
            case StreamEvent.StatusUpdate s -> new SendResult.OfTask(task == null
                    ? new Task(s.taskId(), s.contextId(), s.status(), null, null, null)
                    : task.withStatus(s.status()));
            case StreamEvent.ArtifactUpdate a -> {
                Task base = task != null ? task : new Task(a.taskId(), a.contextId(),
                        new TaskStatus(TaskState.WORKING, null, Instant.now()), null, null, null);
                List<Artifact> artifacts = new ArrayList<>(base.artifacts());
                int at = -1;
                for (int i = 0; i < artifacts.size(); i++) {
                    if (artifacts.get(i).artifactId().equals(a.artifact().artifactId())) {
                        at = i;
                    }
                }
                if (at < 0) {
                    artifacts.add(a.artifact());
                } else {
                    artifacts.set(at, a.append()
                            ? artifacts.get(at).withMoreParts(a.artifact().parts()) : a.artifact());
                }
                yield new SendResult.OfTask(base.withArtifacts(artifacts));
            }
        };
    }

    private static A2aCallException unreadable(AgentEndpoint agent, RuntimeException e) {
        return A2aCallException.of(Kind.BAD_ANSWER, agent.url() + " answered something that is"
                + " not A2A " + agent.version().label() + ": " + e.getMessage(), e);
    }
}
