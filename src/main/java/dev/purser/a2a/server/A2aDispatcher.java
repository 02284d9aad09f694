package dev.purser.a2a.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.A2aError;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.V10Json;
import dev.purser.a2a.spec.WireCodec;
import dev.purser.auth.Caller;
import dev.purser.jsonrpc.JsonRpcFailure;
import dev.purser.jsonrpc.JsonRpcRequest;
import dev.purser.task.TaskService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Routes one JSON-RPC request of a known version to the task service and encodes the result. */
@ApplicationScoped
class A2aDispatcher {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final TaskService tasks;

    A2aDispatcher(TaskService tasks) {
        this.tasks = tasks;
    }

    /** The JSON-RPC result of a call; failures are thrown as A2aFailure / JsonRpcFailure. */
    JsonNode call(ProtocolVersion version, Caller caller, JsonRpcRequest req) {
        RpcMethod method = RpcMethod.find(version, req.method()).orElseThrow(() ->
                JsonRpcFailure.methodNotFound(req.id(), req.method(), version.label()));
        WireCodec codec = version.codec();
        return switch (method) {
            case SEND -> {
                var send = codec.readSend(params(req));
                req.requireId();
                yield codec.writeSendResult(tasks.send(caller, send));
            }
            case GET_TASK -> {
                var query = codec.readTaskQuery(params(req));
                req.requireId();
                yield codec.writeTask(tasks.get(caller, query));
            }
            case LIST_TASKS -> {
                var list = V10Json.INSTANCE.readList(req.params());
                req.requireId();
                yield V10Json.INSTANCE.writeList(tasks.list(caller, list));
            }
            case CANCEL_TASK -> {
                var query = codec.readTaskQuery(params(req));
                req.requireId();
                yield codec.writeTask(tasks.cancel(caller, query.id()));
            }
            case SEND_STREAMING, SUBSCRIBE -> throw A2aFailure.of(A2aError.UNSUPPORTED_OPERATION,
                    "Streaming is not supported by this agent (capabilities.streaming is false)",
                    Map.of("method", req.method()));
            case CREATE_PUSH_CONFIG, GET_PUSH_CONFIG, LIST_PUSH_CONFIGS, DELETE_PUSH_CONFIG ->
                    throw A2aFailure.of(A2aError.PUSH_NOTIFICATION_NOT_SUPPORTED,
                            "Push notifications are not supported by this agent",
                            Map.of("method", req.method()));
            case EXTENDED_CARD -> throw A2aFailure.of(A2aError.UNSUPPORTED_OPERATION,
                    "This agent declares no extended agent card", Map.of("method", req.method()));
        };
    }

    private static ObjectNode params(JsonRpcRequest req) {
        if (req.params() == null) {
            throw A2aFailure.invalidParams("params", "is required");
        }
        return req.params();
    }

    static ObjectNode success(JsonNode id, JsonNode result) {
        ObjectNode o = F.objectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        o.set("result", result);
        return o;
    }
}
