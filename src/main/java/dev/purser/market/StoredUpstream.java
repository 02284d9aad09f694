package dev.purser.market;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A row of {@code market_upstream}: an OpenAI-compatible API Purser resells per token (V53). */
@Entity
@Table(name = "market_upstream")
public class StoredUpstream extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "base_url")
    public String baseUrl;
    @Column(name = "fee_bps")
    public Integer feeBps;
    @Column(name = "fee_amount")
    public Long feeAmount;
    /** JSON object; never shown after registration. */
    public String headers;
    public String status;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    static Optional<StoredUpstream> byBaseUrl(String baseUrl) {
        return find("baseUrl", baseUrl).firstResultOptional();
    }

    boolean isActive() {
        return StoredProvider.ACTIVE.equals(status);
    }

    Fee fee() {
        return feeBps != null ? Fee.bps(feeBps) : feeAmount != null ? Fee.amount(feeAmount) : Fee.NONE;
    }
}
