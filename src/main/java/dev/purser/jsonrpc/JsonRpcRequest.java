package dev.purser.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC 2.0 request: id (string or number; null when absent), method, params (an object).
 * A missing id is not refused here: the method and params are checked first, so a client learns
 * the most specific error (what the 0.3 conformance suite expects); then {@link #requireId()}.
 */
public record JsonRpcRequest(JsonNode id, String method, ObjectNode params) {

    /** A2A defines no notifications: a request must carry an id to be answered. */
    public void requireId() {
        if (id == null) {
            throw JsonRpcFailure.invalidRequest(null,
                    "'id' is required: notifications are not supported");
        }
    }

    /**
     * Checks the envelope. A2A has no notifications and no batches, so an array or a request
     * without an id is invalid (spec §3).
     */
    public static JsonRpcRequest parse(JsonNode body) {
        if (!body.isObject()) {
            throw JsonRpcFailure.invalidRequest(null, "the request must be a JSON object"
                    + (body.isArray() ? "; batches are not supported" : ""));
        }
        JsonNode id = body.get("id");
        boolean absent = id == null || id.isNull();
        boolean idOk = !absent && (id.isTextual() || id.isIntegralNumber());
        JsonNode echoId = idOk ? id : null;
        if (!"2.0".equals(text(body.get("jsonrpc")))) {
            throw JsonRpcFailure.invalidRequest(echoId, "'jsonrpc' must be \"2.0\"");
        }
        if (!absent && !idOk) {
            throw JsonRpcFailure.invalidRequest(null, "'id' must be a string or an integer");
        }
        if (absent) {
            id = null;
        }
        JsonNode method = body.get("method");
        if (method == null || !method.isTextual() || method.asText().isEmpty()) {
            throw JsonRpcFailure.invalidRequest(id, "'method' must be a non-empty string");
        }
        JsonNode params = body.get("params");
        ObjectNode p;
        if (params == null || params.isNull()) {
            p = null;
        } else if (params.isObject()) {
            p = (ObjectNode) params;
        } else {
            throw JsonRpcFailure.invalidParams(id, "params", "must be an object");
        }
        return new JsonRpcRequest(id, method.asText(), p);
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
