package dev.purser.metered;

/**
 * What {@link FakeOpenAiUpstream} does with one chat completion call: the text it answers, the usage
 * it reports, and the fault it injects. Immutable; each method returns a changed copy, so a test
 * reads as one expression: {@code UpstreamReply.text("hi").completionTokens(7).slowChunks(50)}.
 *
 * @param text the assistant's reply (streamed one word per chunk)
 * @param promptTokens the {@code prompt_tokens} reported; null: a quarter of the UTF-8 bytes of the
 *     request's compact {@code messages} JSON (at least 1), which never exceeds Purser's input bound
 * @param completionTokens the {@code completion_tokens} reported, lowered to the request's
 *     {@code max_completion_tokens} (else {@code max_tokens}) when that is smaller, and then
 *     {@code finish_reason} is {@code "length"}
 * @param exactUsage report {@code promptTokens}/{@code completionTokens} as given, even beyond the
 *     request's token limit (a misbehaving upstream)
 * @param failStatus non-zero: answer this HTTP status with OpenAI's error body instead
 * @param errorType the error body's {@code type} when failing
 * @param errorCode the error body's {@code code} when failing
 * @param hangs accept the call and never answer until the fake is closed
 * @param usageOmitted no {@code usage} in the answer, nor a usage chunk in a stream
 * @param cutAfterChunks non-negative: a stream closes the TCP connection after this many
 *     {@code data:} chunks, without {@code [DONE]} or the chunked terminator (0, and any
 *     non-stream call: the connection closes before any answer byte)
 * @param stallAfterChunks non-negative: a stream sends this many chunks, then nothing more until
 *     the fake is closed (a caller killed mid-stream can be arranged this way)
 * @param chunkDelayMs the pause before each stream chunk, and before a non-stream answer
 */
public record UpstreamReply(String text, Integer promptTokens, int completionTokens,
        boolean exactUsage, int failStatus, String errorType, String errorCode, boolean hangs,
        boolean usageOmitted, int cutAfterChunks, int stallAfterChunks, long chunkDelayMs) {

    /** A normal answer of {@code text} with 10 completion tokens (capped by the request's limit). */
    public static UpstreamReply text(String text) {
        return new UpstreamReply(text, null, 10, false, 0, null, null, false, false, -1, -1, 0);
    }

    /** The default: answers {@code "Hello from the fake upstream."}. */
    public static UpstreamReply ok() {
        return text("Hello from the fake upstream.");
    }

    /** Reports {@code n} completion tokens (never more than the request's token limit). */
    public UpstreamReply completionTokens(int n) {
        return new UpstreamReply(text, promptTokens, n, exactUsage, failStatus, errorType,
                errorCode, hangs, usageOmitted, cutAfterChunks, stallAfterChunks, chunkDelayMs);
    }

    /** Reports {@code n} prompt tokens instead of the derived number. */
    public UpstreamReply promptTokens(int n) {
        return new UpstreamReply(text, n, completionTokens, exactUsage, failStatus, errorType,
                errorCode, hangs, usageOmitted, cutAfterChunks, stallAfterChunks, chunkDelayMs);
    }

    /** Reports exactly this usage, ignoring the request's token limit. */
    public UpstreamReply usage(int prompt, int completion) {
        return new UpstreamReply(text, prompt, completion, true, failStatus, errorType,
                errorCode, hangs, usageOmitted, cutAfterChunks, stallAfterChunks, chunkDelayMs);
    }

    /**
     * Answers {@code status} with {@code {"error": {"message", "type", "param": null, "code"}}}:
     * type {@code server_error} for 5xx, {@code rate_limit_exceeded} for 429, else
     * {@code invalid_request_error}; code {@code fake_failure}.
     */
    public static UpstreamReply fail(int status) {
        String type = status >= 500 ? "server_error"
                : status == 429 ? "rate_limit_exceeded" : "invalid_request_error";
        return fail(status, type, "fake_failure");
    }

    /** Answers {@code status} with OpenAI's error body of this {@code type} and {@code code}. */
    public static UpstreamReply fail(int status, String type, String code) {
        return new UpstreamReply(null, null, 0, false, status, type, code, false, false, -1, -1, 0);
    }

    /** Accepts the call and never answers (until the fake closes). */
    public static UpstreamReply hang() {
        return new UpstreamReply(null, null, 0, false, 0, null, null, true, false, -1, -1, 0);
    }

    /** Closes the connection before any answer byte (a connection error). */
    public static UpstreamReply dropConnection() {
        return ok().cutStream(0);
    }

    /** No usage in the answer. */
    public UpstreamReply omitUsage() {
        return new UpstreamReply(text, promptTokens, completionTokens, exactUsage, failStatus,
                errorType, errorCode, hangs, true, cutAfterChunks, stallAfterChunks, chunkDelayMs);
    }

    /** A stream closes its connection after {@code afterChunks} chunks, without {@code [DONE]}. */
    public UpstreamReply cutStream(int afterChunks) {
        return new UpstreamReply(text, promptTokens, completionTokens, exactUsage, failStatus,
                errorType, errorCode, hangs, usageOmitted, afterChunks, stallAfterChunks, chunkDelayMs);
    }

    /** A stream sends {@code afterChunks} chunks, then waits until the fake closes. */
    public UpstreamReply stallStream(int afterChunks) {
        return new UpstreamReply(text, promptTokens, completionTokens, exactUsage, failStatus,
                errorType, errorCode, hangs, usageOmitted, cutAfterChunks, afterChunks, chunkDelayMs);
    }

    /** Pauses {@code ms} before each stream chunk (before the answer when not streamed). */
    public UpstreamReply slowChunks(long ms) {
        return new UpstreamReply(text, promptTokens, completionTokens, exactUsage, failStatus,
                errorType, errorCode, hangs, usageOmitted, cutAfterChunks, stallAfterChunks, ms);
    }
}
