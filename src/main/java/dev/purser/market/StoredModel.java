package dev.purser.market;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** A row of {@code market_model}: one model of one upstream, priced per million tokens (V53). */
@Entity
@Table(name = "market_model")
public class StoredModel extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "upstream_id")
    public String upstreamId;
    @Column(name = "model_id")
    public String modelId;
    @Column(name = "input_per_million")
    public long inputPerMillion;
    @Column(name = "output_per_million")
    public long outputPerMillion;
    /** Null: the configured default. */
    @Column(name = "max_output")
    public Long maxOutput;
    @Column(name = "cache_ttl_ms")
    public Long cacheTtlMs;
    public boolean active;

    static List<StoredModel> ofUpstream(String upstreamId) {
        return list("upstreamId = ?1 order by modelId", upstreamId);
    }

    /** Every model a call can be routed to: active, of an active upstream. */
    static List<StoredModel> routable() {
        return list("active = true and upstreamId in (select u.id from StoredUpstream u where u.status = ?1)"
                + " order by modelId, upstreamId", StoredProvider.ACTIVE);
    }
}
