package dev.purser.a2a.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call to another agent that gave no answer in the A2A model. {@link #kind()} says which way it
 * went wrong, so that a caller can tell a provider that failed from one that is slow or gone:
 * the agent could not be reached, did not answer in time, answered with a JSON-RPC error (with
 * its code, message and data), or answered something that is not A2A.
 */
public final class A2aCallException extends Exception {

    /** How the call went wrong. */
    public enum Kind {
        /** No connection: refused, unresolvable, reset, or a gateway saying the agent is down. */
        UNREACHABLE,
        /** Connected, but the answer (or the stream's end) did not come within the timeout. */
        TIMEOUT,
        /** The agent answered with a JSON-RPC error object: see {@link #rpcCode()}. */
        RPC_ERROR,
        /** The agent answered, but not with A2A: wrong HTTP status, not JSON, wrong shape. */
        BAD_ANSWER,
        /** The calling thread was interrupted; its interrupt flag is set again. */
        INTERRUPTED
    }

    private final Kind kind;
    private final int rpcCode;
    private final transient JsonNode rpcData;
    private final int httpStatus;

    A2aCallException(Kind kind, String message, int rpcCode, JsonNode rpcData, int httpStatus,
            Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.rpcCode = rpcCode;
        this.rpcData = rpcData;
        this.httpStatus = httpStatus;
    }

    static A2aCallException of(Kind kind, String message) {
        return new A2aCallException(kind, message, 0, null, 0, null);
    }

    static A2aCallException of(Kind kind, String message, Throwable cause) {
        return new A2aCallException(kind, message, 0, null, 0, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The JSON-RPC error code for {@link Kind#RPC_ERROR} (e.g. -32001), else 0. */
    public int rpcCode() {
        return rpcCode;
    }

    /** The JSON-RPC error's {@code data}, or null. */
    public JsonNode rpcData() {
        return rpcData;
    }

    /** The HTTP status when one was received and it was not 200, else 0. */
    public int httpStatus() {
        return httpStatus;
    }
}
