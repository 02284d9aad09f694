package dev.purser.a2a.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.A2aError;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.db.DatabaseOutage;
import dev.purser.jsonrpc.JsonRpcFailure;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one place that turns failures into JSON-RPC error objects, per wire version: 1.0 carries
 * an array of ProtoJSON Any (ErrorInfo, BadRequest); 0.3 a small free-form object. Anything
 * unexpected becomes -32603 with a reference to the logged trace, never the trace itself; a
 * database outage -32603 with a retry hint (reason {@code DATABASE_UNAVAILABLE}, and in 1.0 a
 * {@code google.rpc.RetryInfo}), no trace.
 */
final class RpcErrors {

    private static final Logger LOG = Logger.getLogger(RpcErrors.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String DOMAIN = "a2a-protocol.org";
    private static final String DATABASE_UNAVAILABLE = DatabaseOutage.CODE.toUpperCase(Locale.ROOT);

    private RpcErrors() {
    }

    static ObjectNode of(ProtocolVersion v, JsonNode id, Throwable failure) {
        return switch (failure) {
            case A2aFailure f -> envelope(id, error(v, f.error().code(), f.getMessage(),
                    f.error().reason(), f.metadata(), f.field()));
            case JsonRpcFailure f -> envelope(f.id() != null ? f.id() : id,
                    error(v, f.code(), f.getMessage(), null, Map.of(), f.field()));
            case Throwable t when DatabaseOutage.is(t) -> {
                LOG.warnf("a JSON-RPC call met a database outage (%s)", t.getMessage());
                yield envelope(id, unavailable(v));
            }
            default -> {
                String ref = UUID.randomUUID().toString();
                LOG.errorf(failure, "internal error answering a JSON-RPC call (ref %s)", ref);
                yield envelope(id, error(v, A2aError.INTERNAL.code(),
                        "Internal error (ref " + ref + ")", null, Map.of("ref", ref), null));
            }
        };
    }

    private static ObjectNode unavailable(ProtocolVersion v) {
        String seconds = Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS);
        ObjectNode e = error(v, A2aError.INTERNAL.code(), DatabaseOutage.MESSAGE, DATABASE_UNAVAILABLE,
                Map.of("retryAfterSeconds", seconds), null);
        if (v == ProtocolVersion.V1_0) {
            ObjectNode retry = ((ArrayNode) e.get("data")).addObject();
            retry.put("@type", "type.googleapis.com/google.rpc.RetryInfo");
            retry.put("retryDelay", seconds + "s");
        }
        return e;
    }

    static ObjectNode envelope(JsonNode id, ObjectNode error) {
        ObjectNode o = F.objectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id == null ? F.nullNode() : id);
        o.set("error", error);
        return o;
    }

    private static ObjectNode error(ProtocolVersion v, int code, String message, String reason,
            Map<String, String> metadata, String field) {
        ObjectNode e = F.objectNode();
        e.put("code", code);
        e.put("message", message);
        if (v == ProtocolVersion.V1_0) {
            ArrayNode data = F.arrayNode();
            if (reason != null) {
                ObjectNode info = data.addObject();
                info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
                info.put("reason", reason);
                info.put("domain", DOMAIN);
                ObjectNode md = info.putObject("metadata");
                metadata.forEach(md::put);
            }
            if (field != null) {
                ObjectNode bad = data.addObject();
                bad.put("@type", "type.googleapis.com/google.rpc.BadRequest");
                ObjectNode violation = bad.putArray("fieldViolations").addObject();
                violation.put("field", field);
                violation.put("description", message);
            }
            if (!data.isEmpty()) {
                e.set("data", data);
            }
        } else if (reason != null || field != null) {
            ObjectNode data = e.putObject("data");
            if (reason != null) {
                data.put("reason", reason);
            }
            if (field != null) {
                data.put("field", field);
            }
            metadata.forEach(data::put);
        }
        return e;
    }
}
