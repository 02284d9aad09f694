package dev.purser.a2a.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.A2aError;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.JsonOutput;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.V10Json;
import dev.purser.a2a.spec.WireCodec;
import dev.purser.auth.Caller;
import dev.purser.jsonrpc.JsonRpcFailure;
import dev.purser.jsonrpc.JsonRpcRequest;
import dev.purser.task.PushConfigService;
import dev.purser.task.TaskService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Routes one JSON-RPC request of a known version to the task service and encodes the result. */
@ApplicationScoped
class A2aDispatcher {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final TaskService tasks;
    private final PushConfigService push;
    private final ExtendedCard extendedCard;

    A2aDispatcher(TaskService tasks, PushConfigService push, ExtendedCard extendedCard) {
        this.tasks = tasks;
        this.push = push;
        this.extendedCard = extendedCard;
    }

    /**
     * The outcome of a call; failures before any stream opens are thrown. {@code extensions}: the
     * supported extension URIs the request activated; {@code baseUrl} is asked for only by the
     * extended card (building it costs every other call for nothing).
     */
    RpcOutcome call(ProtocolVersion version, Caller caller, JsonRpcRequest req,
            Supplier<String> baseUrl,
            Set<String> extensions) {
        RpcMethod method = RpcMethod.find(version, req.method()).orElseThrow(() ->
                JsonRpcFailure.methodNotFound(req.id(), req.method(), version.label()));
        WireCodec codec = version.codec();
        return switch (method) {
            case SEND_STREAMING -> {
                var send = codec.readSend(params(req));
                req.requireId();
                yield new RpcOutcome.Stream(tasks.stream(caller, send, version.label(),
                        extensions), true);
            }
            case SUBSCRIBE -> {
                var query = codec.readTaskQuery(params(req));
                req.requireId();
                try {
                    yield new RpcOutcome.Stream(tasks.subscribe(caller, query.id()),
                            version == ProtocolVersion.V0_3);
                } catch (A2aFailure f) {
                    // 0.3 clients only read a stream here: the error must be its first event.
                    if (version == ProtocolVersion.V0_3 && f.error() == A2aError.TASK_NOT_FOUND) {
                        yield new RpcOutcome.StreamedError(f);
                    }
                    throw f;
                }
            }
            default -> new RpcOutcome.Result(unary(method, version, caller, req, baseUrl,
                    extensions));
        };
    }

    private JsonOutput.Writing unary(RpcMethod method, ProtocolVersion version, Caller caller,
            JsonRpcRequest req, Supplier<String> baseUrl, Set<String> extensions) {
        if (method == RpcMethod.SEND) {
            WireCodec codec = version.codec();
            var send = codec.readSend(params(req));
            req.requireId();
            SendResult result = tasks.send(caller, send, version.label(), extensions);
            return g -> codec.writeSendResult(g, result);
        }
        JsonNode tree = tree(method, version, caller, req, baseUrl);
        return g -> g.writeTree(tree);
    }

    private JsonNode tree(RpcMethod method, ProtocolVersion version, Caller caller,
            JsonRpcRequest req, Supplier<String> baseUrl) {
        WireCodec codec = version.codec();
        return switch (method) {
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
            case SEND, SEND_STREAMING, SUBSCRIBE -> throw new IllegalStateException(
                    method + " is answered by unary() or call()");
            case CREATE_PUSH_CONFIG -> {
                var config = codec.readPushConfig(params(req));
                req.requireId();
                yield codec.writePushConfig(push.put(caller, config, version.label()));
            }
            case GET_PUSH_CONFIG -> {
                var q = codec.readPushConfigQuery(params(req), version == ProtocolVersion.V1_0);
                req.requireId();
                yield codec.writePushConfig(push.get(caller, q, version == ProtocolVersion.V0_3));
            }
            case LIST_PUSH_CONFIGS -> {
                var q = codec.readPushConfigQuery(params(req), false);
                req.requireId();
                yield codec.writePushConfigs(push.list(caller, q.taskId()));
            }
            case DELETE_PUSH_CONFIG -> {
                var q = codec.readPushConfigQuery(params(req), true);
                req.requireId();
                push.delete(caller, q);
                yield codec.deletedPushConfig();
            }
            case EXTENDED_CARD -> {
                req.requireId();
                yield extendedCard.forCaller(caller, baseUrl.get(), version == ProtocolVersion.V1_0);
            }
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
