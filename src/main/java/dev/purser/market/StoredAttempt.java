package dev.purser.market;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code market_attempt}: one routed attempt at an offer, and how it ended (V50). */
@Entity
@Table(name = "market_attempt")
public class StoredAttempt extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "offer_id")
    public String offerId;
    public String outcome;
    public long ms;
    public Instant at;
}
