package dev.purser.market;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * A model upstream on the wire (DESIGN §11): {@code {id, baseUrl, fee, models: {"<model id>":
 * {input, output, maxOutput, cacheTtl}}, status, headerNames, createdAt, updatedAt}}, the
 * registration body's shape, so that it can be posted back. The header values are never shown:
 * only which header names are set.
 */
final class UpstreamJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private UpstreamJson() {
    }

    static ObjectNode of(ModelStore.Saved saved, ModelStore store, long defaultMaxOutput) {
        StoredUpstream u = saved.upstream();
        ObjectNode n = F.objectNode();
        n.put("id", u.id);
        n.put("baseUrl", u.baseUrl);
        n.set("fee", fee(u.fee()));
        ObjectNode models = n.putObject("models");
        saved.models().stream().filter(m -> m.active).forEach(m -> {
            ObjectNode t = models.putObject(m.modelId);
            t.put("input", Long.toString(m.inputPerMillion));
            t.put("output", Long.toString(m.outputPerMillion));
            t.put("maxOutput", m.maxOutput != null ? m.maxOutput : defaultMaxOutput);
            if (m.cacheTtlMs == null) {
                t.putNull("cacheTtl");
            } else {
                t.put("cacheTtl", Duration.ofMillis(m.cacheTtlMs).toString());
            }
        });
        n.put("status", u.status);
        ArrayNode names = n.putArray("headerNames");
        store.headerNames(u).forEach(names::add);
        n.put("createdAt", u.createdAt.toString());
        n.put("updatedAt", u.updatedAt.toString());
        return n;
    }

    /** A fee as registered: {@code {"bps": n}}, {@code {"amount": "atomic"}}, or null. */
    static ObjectNode fee(Fee fee) {
        if (fee.bps() != null) {
            return F.objectNode().put("bps", fee.bps());
        }
        return fee.amount() != null ? F.objectNode().put("amount", Long.toString(fee.amount())) : null;
    }
}
