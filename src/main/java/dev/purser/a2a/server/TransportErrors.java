package dev.purser.a2a.server;

import dev.purser.jsonrpc.JsonRpcFailure;

/**
 * JSON-RPC error bodies for refusals the HTTP layer makes before {@link A2aResource} runs (a body,
 * URL or header block over a limit): the same -32600 shape, in the wire version the caller asked
 * for (0.3 when the header is missing or unknown, as there is no id to echo anyway).
 */
public final class TransportErrors {

    private TransportErrors() {
    }

    public static String invalidRequest(String versionHeader, String detail) {
        ProtocolVersion v;
        try {
            v = ProtocolVersion.select(versionHeader);
        } catch (RuntimeException e) {
            v = ProtocolVersion.V0_3;
        }
        return RpcErrors.of(v, null, JsonRpcFailure.invalidRequest(null, detail)).toString();
    }
}
