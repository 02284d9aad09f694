package dev.purser.ledger;

import java.time.Duration;
import java.time.Instant;

/** A ledger clock a test sets and moves (installed with QuarkusMock for one test method). */
final class MovableClock extends LedgerClock {

    private volatile Instant now;

    MovableClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        return now;
    }

    void set(Instant instant) {
        now = instant;
    }

    void advance(Duration by) {
        now = now.plus(by);
    }
}
