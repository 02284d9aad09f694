package dev.purser.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An envelope-level JSON-RPC failure, found before any A2A method runs. Carries the id to echo
 * (null when the request's id could not be read).
 */
public final class JsonRpcFailure extends RuntimeException {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;

    private final transient JsonNode id;
    private final int code;
    private final String field;

    private JsonRpcFailure(JsonNode id, int code, String message, String field) {
        super(message, null, false, false);
        this.id = id;
        this.code = code;
        this.field = field;
    }

    public static JsonRpcFailure parseError(String detail) {
        return new JsonRpcFailure(null, PARSE_ERROR, "Invalid JSON payload: " + detail, null);
    }

    public static JsonRpcFailure invalidRequest(JsonNode id, String detail) {
        return new JsonRpcFailure(id, INVALID_REQUEST, "Invalid request: " + detail, null);
    }

    public static JsonRpcFailure methodNotFound(JsonNode id, String method, String version) {
        return new JsonRpcFailure(id, METHOD_NOT_FOUND, "Method not found: " + method
                + " (in protocol version " + version + ")", null);
    }

    public static JsonRpcFailure invalidParams(JsonNode id, String field, String reason) {
        return new JsonRpcFailure(id, INVALID_PARAMS, "Invalid parameters: " + field + " " + reason,
                field);
    }

    public JsonNode id() {
        return id;
    }

    public int code() {
        return code;
    }

    /** The offending field, for -32602, else null. */
    public String field() {
        return field;
    }
}
