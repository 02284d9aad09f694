package dev.purser.market;

import java.util.function.Supplier;

/**
 * An in-memory copy of something built from the market tables, built again when
 * {@link MarketVersion} has moved since (a change on any instance). Two readers racing a change may
 * both build; either copy is current, so the last one kept is fine.
 */
final class VersionedCopy<T> {

    private record Built<T>(long version, T value) {
    }

    private final MarketVersion version;
    private final Supplier<T> build;
    private volatile Built<T> built;

    VersionedCopy(MarketVersion version, Supplier<T> build) {
        this.version = version;
        this.build = build;
    }

    T get() {
        long v = version.current();
        Built<T> b = built;
        if (b == null || b.version() != v) {
            b = new Built<>(v, build.get());
            built = b;
        }
        return b.value();
    }
}
