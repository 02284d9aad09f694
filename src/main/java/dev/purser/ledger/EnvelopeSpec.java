package dev.purser.ledger;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an envelope is opened with: the terms of a verified mandate. The mandate package builds
 * one per registered mandate; tests build them directly.
 *
 * @param id the mandate id (the EIP-712 digest); the envelope's id
 * @param principal who funds it (for a child: the parent's agent)
 * @param agent who may draw on it
 * @param asset the token contract
 * @param network CAIP-2 network of the asset, e.g. {@code eip155:84532}
 * @param budget atomic units
 * @param perTaskMax per-request cap in atomic units, 0 = none
 * @param skills allowed skills, empty = any
 * @param notBefore null = now
 * @param expiresAt null = never
 * @param parent the parent mandate id, or null for a root
 * @param recurrence budget period (the budget renews each period), or null for a one-off budget
 * @param limits per-envelope guard settings
 * @param notices where and when the principal hears of the envelope draining
 */
public record EnvelopeSpec(Bytes32 id, Address principal, Address agent, Address asset,
        String network, long budget, long perTaskMax, List<String> skills, Instant notBefore,
        Instant expiresAt, Bytes32 parent, Recurrence recurrence, Limits limits,
        Notices notices) {

    public EnvelopeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(network, "network");
        if (budget < 0 || perTaskMax < 0) {
            throw new IllegalArgumentException("budget and perTaskMax are not negative");
        }
        skills = skills == null ? List.of() : List.copyOf(skills);
        limits = limits == null ? Limits.DEFAULTS : limits;
        notices = notices == null ? Notices.DEFAULTS : notices;
        if (parent != null && parent.isZero()) {
            parent = null;
        }
    }

    /** The terms without notice settings: the global defaults apply. */
    public EnvelopeSpec(Bytes32 id, Address principal, Address agent, Address asset,
            String network, long budget, long perTaskMax, List<String> skills, Instant notBefore,
            Instant expiresAt, Bytes32 parent, Recurrence recurrence, Limits limits) {
        this(id, principal, agent, asset, network, budget, perTaskMax, skills, notBefore,
                expiresAt, parent, recurrence, limits, Notices.DEFAULTS);
    }

    /** A root envelope with no caps, no expiry and the default guards. */
    public static EnvelopeSpec root(Bytes32 id, Address principal, Address agent, Address asset,
            String network, long budget) {
        return new EnvelopeSpec(id, principal, agent, asset, network, budget, 0, List.of(), null,
                null, null, null, Limits.DEFAULTS);
    }

    public EnvelopeSpec withLimits(Limits newLimits) {
        return new EnvelopeSpec(id, principal, agent, asset, network, budget, perTaskMax, skills,
                notBefore, expiresAt, parent, recurrence, newLimits, notices);
    }

    public EnvelopeSpec withPerTaskMax(long max) {
        return new EnvelopeSpec(id, principal, agent, asset, network, budget, max, skills,
                notBefore, expiresAt, parent, recurrence, limits, notices);
    }

    public EnvelopeSpec withValidity(Instant from, Instant until) {
        return new EnvelopeSpec(id, principal, agent, asset, network, budget, perTaskMax, skills,
                from, until, parent, recurrence, limits, notices);
    }

    public EnvelopeSpec asChildOf(Bytes32 parentId) {
        return new EnvelopeSpec(id, principal, agent, asset, network, budget, perTaskMax, skills,
                notBefore, expiresAt, parentId, recurrence, limits, notices);
    }

    public EnvelopeSpec withRecurrence(Recurrence every) {
        return new EnvelopeSpec(id, principal, agent, asset, network, budget, perTaskMax, skills,
                notBefore, expiresAt, parent, every, limits, notices);
    }

    public EnvelopeSpec withNotices(Notices newNotices) {
        return new EnvelopeSpec(id, principal, agent, asset, network, budget, perTaskMax, skills,
                notBefore, expiresAt, parent, recurrence, limits, newNotices);
    }

    public Optional<Bytes32> parentId() {
        return Optional.ofNullable(parent);
    }

    /**
     * How often an envelope's budget renews: each UTC day, ISO week (from Monday) or calendar
     * month, spent starts over at 0. Root envelopes only.
     */
    public enum Recurrence { DAILY, WEEKLY, MONTHLY }

    /**
     * Soft-limit notices: when captured spend reaches each threshold (percent of the budget) the
     * principal is told once per period.
     *
     * @param webhook the principal's http(s) URL, null = {@code PURSER_LEDGER_WEBHOOK}
     * @param thresholds percentages 1–100, null = {@code PURSER_SOFT_LIMITS} (80 and 90)
     */
    public record Notices(String webhook, List<Integer> thresholds) {

        public static final Notices DEFAULTS = new Notices(null, null);

        public Notices {
            if (thresholds != null) {
                thresholds = List.copyOf(thresholds);
                for (int t : thresholds) {
                    if (t < 1 || t > 100) {
                        throw new IllegalArgumentException("thresholds are percentages, 1 to 100");
                    }
                }
            }
        }
    }

    /**
     * Per-envelope guards. {@code dailyMax} 0 = none; each of the others null = the global
     * default ({@code PURSER_GUARD_*}), 0 = off.
     *
     * @param dailyMax atomic units reserved or spent per UTC day
     * @param ratePerMinute reservations per minute by the agent
     * @param concurrency pending reservations of the agent
     * @param loopPerMinute identical requests per minute
     */
    public record Limits(long dailyMax, Integer ratePerMinute, Integer concurrency,
            Integer loopPerMinute) {

        public static final Limits DEFAULTS = new Limits(0, null, null, null);

        /** Every guard off: for tests and benchmarks of the budget alone. */
        public static final Limits NONE = new Limits(0, 0, 0, 0);

        public Limits {
            if (dailyMax < 0 || negative(ratePerMinute) || negative(concurrency)
                    || negative(loopPerMinute)) {
                throw new IllegalArgumentException("limits are not negative");
            }
        }

        private static boolean negative(Integer value) {
            return value != null && value < 0;
        }
    }
}
