package dev.purser.market;

import java.util.Locale;

/** How a routed attempt ended (DESIGN §9 {@code purser.delegation.attempts[].outcome}). */
public enum Outcome {
    COMPLETED, FAILED, TIMEOUT, UNREACHABLE, PRICE_CHANGED;

    /** The wire spelling: {@code completed}, {@code price_changed}, … */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean succeeded() {
        return this == COMPLETED;
    }
}
