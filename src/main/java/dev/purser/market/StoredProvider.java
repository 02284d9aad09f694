package dev.purser.market;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A row of {@code market_provider}: a remote A2A agent Purser resells (V50 migration). */
@Entity
@Table(name = "market_provider")
public class StoredProvider extends PanacheEntityBase {

    static final String ACTIVE = "active";
    static final String DELETED = "deleted";

    @Id
    public String id;
    @Column(name = "card_url")
    public String cardUrl;
    public String name;
    public String description;
    @Column(name = "protocol_version")
    public String protocolVersion;
    @Column(name = "interface_url")
    public String interfaceUrl;
    public boolean streaming;
    @Column(name = "fee_bps")
    public Integer feeBps;
    @Column(name = "fee_amount")
    public Long feeAmount;
    /** JSON object; never shown after registration. */
    public String headers;
    /** JSON object of the operator's overrides, or null. */
    public String skills;
    public String status;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "refreshed_at")
    public Instant refreshedAt;

    static Optional<StoredProvider> byCardUrl(String cardUrl) {
        return find("cardUrl", cardUrl).firstResultOptional();
    }

    static List<StoredProvider> active() {
        return list("status = ?1 order by id", ACTIVE);
    }

    boolean isActive() {
        return ACTIVE.equals(status);
    }

    Fee fee() {
        return feeBps != null ? Fee.bps(feeBps) : feeAmount != null ? Fee.amount(feeAmount) : Fee.NONE;
    }
}
