package dev.purser.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The time the ledger stamps on journal entries and receipts and places budget periods by. A
 * bean of its own so that tests can move it across a period boundary (QuarkusMock); TTLs,
 * validity windows and guard windows use the database's clock.
 */
@ApplicationScoped
public class LedgerClock {

    public Instant now() {
        return Instant.now();
    }
}
