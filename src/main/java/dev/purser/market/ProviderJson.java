package dev.purser.market;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * A provider on the wire (DESIGN §9): {@code {id, name, cardUrl, protocolVersion, status, fee,
 * services, refreshedAt}} plus {@code url} (the interface Purser calls) and {@code streaming}.
 * The stored headers are never shown.
 */
final class ProviderJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ProviderJson() {
    }

    static ObjectNode of(ProviderStore.Saved saved, ProviderStore store) {
        StoredProvider p = saved.provider();
        ObjectNode n = F.objectNode();
        n.put("id", p.id);
        n.put("name", p.name);
        n.put("description", p.description);
        n.put("cardUrl", p.cardUrl);
        n.put("url", p.interfaceUrl);
        n.put("protocolVersion", p.protocolVersion);
        n.put("streaming", p.streaming);
        n.put("status", p.status);
        n.set("fee", UpstreamJson.fee(p.fee()));
        ArrayNode services = n.putArray("services");
        saved.offers().stream().filter(o -> o.active).forEach(o -> {
            ObjectNode s = services.addObject();
            s.put("id", o.skillId);
            s.put("name", o.name);
            s.put("description", o.description);
            ArrayNode tags = s.putArray("tags");
            store.strings(o.tags).forEach(tags::add);
            s.put("price", Long.toString(o.price));
            s.put("providerPrice", Long.toString(o.providerPrice));
            s.put("fee", Long.toString(o.fee));
            if (o.cacheTtlMs == null) {
                s.putNull("cacheTtl");
            } else {
                s.put("cacheTtl", Duration.ofMillis(o.cacheTtlMs).toString());
            }
        });
        n.put("createdAt", p.createdAt.toString());
        n.put("refreshedAt", p.refreshedAt.toString());
        return n;
    }
}
