package dev.purser.market;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** A row of {@code market_offer}: one remote skill of one provider, at its price (V50). */
@Entity
@Table(name = "market_offer")
public class StoredOffer extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "provider_id")
    public String providerId;
    @Column(name = "skill_id")
    public String skillId;
    public String name;
    public String description;
    /** JSON arrays of strings. */
    public String tags;
    public String examples;
    @Column(name = "input_modes")
    public String inputModes;
    @Column(name = "output_modes")
    public String outputModes;
    @Column(name = "provider_price")
    public long providerPrice;
    public long fee;
    public long price;
    @Column(name = "cache_ttl_ms")
    public Long cacheTtlMs;
    public boolean active;

    static List<StoredOffer> ofProvider(String providerId) {
        return list("providerId = ?1 order by skillId", providerId);
    }

    /** Every offer a caller can be routed to: active, of an active provider. */
    static List<StoredOffer> routable() {
        return list("active = true and providerId in (select p.id from StoredProvider p where p.status = ?1)"
                + " order by skillId, providerId", StoredProvider.ACTIVE);
    }
}
