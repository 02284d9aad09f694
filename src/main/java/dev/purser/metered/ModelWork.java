package dev.purser.metered;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.billing.PaidWork;
import dev.purser.market.ModelOffer;
import dev.purser.market.Outcome;
import dev.purser.market.Router;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Step 4 of a metered call's paid flow: ask the routed upstreams in order until one answers
 * (DESIGN §11). Before the first byte reaches the caller a failed attempt (connection error, 5xx,
 * 429, timeout) moves on to the next offer and costs nothing; after it, the call ends with an
 * error event and is charged by the usage seen, else the reservation. Every attempt is recorded
 * with the Router (statistics and circuit breaker, as for delegation).
 */
final class ModelWork implements PaidWork {

    /** Where a stream goes: opened once, at the first byte for the caller. */
    interface StreamSink {

        /** The first byte is about to go: commit the answer to a stream. */
        void open();

        /** Sends one SSE event (its lines and the blank line); false when the caller is gone. */
        boolean send(String event);
    }

    /** How the call ended when the work failed: what the caller is told. */
    private CallError failure;
    private byte[] answer;
    private ModelOffer served;
    private Optional<Usage> usage = Optional.empty();

    private final ChatRequest request;
    private final List<ModelOffer> offers;
    private final long reserved;
    private final long outputBound;
    private final Upstreams upstreams;
    private final Router router;
    private final Duration timeout;
    private final ObjectMapper json;
    private final StreamSink sink;

    ModelWork(ChatRequest request, List<ModelOffer> offers, long reserved, long outputBound,
            Upstreams upstreams, Router router, Duration timeout, ObjectMapper json,
            StreamSink sink) {
        this.request = request;
        this.offers = List.copyOf(offers);
        this.reserved = reserved;
        this.outputBound = outputBound;
        this.upstreams = upstreams;
        this.router = router;
        this.timeout = timeout;
        this.json = json;
        this.sink = sink;
    }

    @Override
    public Result perform() {
        List<String> tried = new ArrayList<>();
        boolean allTimedOut = true;
        for (ModelOffer offer : offers) {
            String body = request.forUpstream(Pricing.perChoice(offer, request, outputBound))
                    .toString();
            long started = System.nanoTime();
            Upstreams.Opened opened = upstreams.call(offer, body, request.stream(), timeout);
            Result result = switch (opened) {
                case Upstreams.Failed f -> {
                    record(offer, f.outcome(), started);
                    tried.add(offer.upstreamId() + ": " + f.outcome().wire() + " (" + f.detail() + ")");
                    allTimedOut &= f.outcome() == Outcome.TIMEOUT;
                    yield null;
                }
                case Upstreams.Rejected r -> rejected(offer, r);
                case Upstreams.Answered a -> request.stream() ? relay(offer, a.stream(), started, tried)
                        : whole(offer, a.body(), started, tried);
            };
            if (result != null) {
                return result;
            }
        }
        failure = CallError.upstream(allTimedOut && !tried.isEmpty(), tried.isEmpty()
                ? "no upstream serves this model now; nothing was charged"
                : "every upstream failed (" + String.join("; ", tried) + "); nothing was charged");
        return new Failed(failure.code(), failure.message());
    }

    /** The completion's JSON as the upstream answered it (non-stream, once done). */
    byte[] answer() {
        return answer;
    }

    Optional<ModelOffer> served() {
        return Optional.ofNullable(served);
    }

    Optional<CallError> failure() {
        return Optional.ofNullable(failure);
    }

    private Result whole(ModelOffer offer, byte[] body, long started, List<String> tried) {
        JsonNode parsed;
        try {
            parsed = json.readTree(body);
        } catch (IOException e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isObject() || !parsed.has("choices")) {
            record(offer, Outcome.FAILED, started);
            tried.add(offer.upstreamId() + ": failed (not a chat completion)");
            return null;
        }
        record(offer, Outcome.COMPLETED, started);
        answer = body;
        served = offer;
        usage = Usage.of(parsed);
        return Done.metered(Usage.charge(usage, offer, reserved), offer.upstreamId());
    }

    /** A client error from the upstream: the caller's request is at fault, nothing is charged. */
    private Result rejected(ModelOffer offer, Upstreams.Rejected r) {
        JsonNode error = null;
        try {
            JsonNode parsed = json.readTree(r.body());
            error = parsed == null ? null : parsed.get("error");
        } catch (IOException e) {
            // not JSON: worded below
        }
        String message = error != null && error.hasNonNull("message")
                ? error.get("message").asText()
                : "the upstream refused the request with HTTP " + r.status();
        String type = error != null && error.hasNonNull("type") ? error.get("type").asText()
                : "invalid_request_error";
        String code = error != null && error.hasNonNull("code") ? error.get("code").asText()
                : "upstream_rejected";
        String param = error != null && error.hasNonNull("param") ? error.get("param").asText() : null;
        failure = new CallError(r.status(), type, code, param, message + " (upstream "
                + offer.upstreamId() + "; nothing was charged)", 0);
        return new Failed(code, failure.message());
    }

    /**
     * Relays the upstream's stream event by event. Until its first event the attempt may still
     * fail over; after it, the caller has bytes and this offer is the one that serves.
     */
    private Result relay(ModelOffer offer, Upstreams.Stream stream, long started,
            List<String> tried) {
        boolean opened = false;
        boolean finished = false;
        boolean callerLeft = false;
        String broke = null;
        try (stream) {
            StringBuilder event = new StringBuilder();
            boolean hasData = false;
            boolean skip = false;
            String line;
            while ((line = stream.readLine()) != null) {
                if (!line.isEmpty()) {
                    if (line.startsWith("data:")) {
                        String data = line.substring(5).trim();
                        if (data.equals("[DONE]")) {
                            finished = true;
                            break;
                        }
                        hasData = true;
                        skip |= chunk(data);
                    }
                    event.append(line).append('\n');
                    continue;
                }
                if (event.isEmpty()) {
                    continue;
                }
                if (hasData && !opened) {
                    sink.open();
                    opened = true;
                }
                if (opened && !skip && !sink.send(event.append('\n').toString())) {
                    broke = "the caller went away";
                    callerLeft = true;
                    break;
                }
                event.setLength(0);
                hasData = false;
                skip = false;
            }
            if (!finished && broke == null) {
                broke = stream.timedOut() ? "the upstream stalled past " + timeout.toSeconds() + " s"
                        : "the upstream ended the stream early";
            }
        } catch (IOException e) {
            broke = stream.timedOut() ? "the upstream stalled past " + timeout.toSeconds() + " s"
                    : "the upstream stream broke: " + e.getMessage();
        }
        // a caller that leaves is no fault of the upstream's: its breaker does not count it
        Outcome outcome = broke == null || callerLeft ? Outcome.COMPLETED
                : stream.timedOut() ? Outcome.TIMEOUT : Outcome.FAILED;
        if (!opened) {
            record(offer, outcome == Outcome.COMPLETED ? Outcome.FAILED : outcome, started);
            tried.add(offer.upstreamId() + ": " + (broke == null ? "an empty stream" : broke));
            return null; // nothing reached the caller: the next offer may serve
        }
        record(offer, outcome, started);
        served = offer;
        if (broke != null && !callerLeft) {
            sink.send("data: " + CallError.upstream(outcome == Outcome.TIMEOUT, broke
                    + " (upstream " + offer.upstreamId() + ")").body() + "\n\n");
        }
        return Done.metered(Usage.charge(usage, offer, reserved), offer.upstreamId());
    }

    /**
     * Notes a chunk's usage; true when the chunk is only the usage the caller did not ask for
     * (Purser asked for it to charge by it).
     */
    private boolean chunk(String data) {
        if (!data.contains("\"usage\"")) {
            return false;
        }
        try {
            JsonNode node = json.readTree(data);
            Optional<Usage> seen = Usage.of(node);
            if (seen.isPresent()) {
                usage = seen;
            }
            JsonNode choices = node.get("choices");
            return !request.clientWantsUsage() && seen.isPresent()
                    && (choices == null || choices.isEmpty());
        } catch (IOException e) {
            return false;
        }
    }

    private void record(ModelOffer offer, Outcome outcome, long started) {
        router.record(offer, outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
