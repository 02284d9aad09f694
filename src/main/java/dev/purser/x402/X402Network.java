package dev.purser.x402;

import java.util.Map;
import java.util.Optional;

/**
 * Network names on the x402 wire: v1 uses names ({@code base-sepolia}), v2 CAIP-2 ids
 * ({@code eip155:84532}). Purser keeps CAIP-2 inside and speaks either (x402.md §3).
 */
public final class X402Network {

    private static final Map<String, Long> V1_NAMES = Map.of("base", 8453L, "base-sepolia", 84532L,
            "avalanche-fuji", 43113L, "avalanche", 43114L, "polygon", 137L, "polygon-amoy", 80002L,
            "ethereum", 1L, "iotex", 4689L, "sei", 1329L);

    private X402Network() {
    }

    /** The CAIP-2 id of a v1 name or a CAIP-2 id; empty for anything else. */
    public static Optional<String> toCaip2(String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (name.matches("eip155:[1-9][0-9]{0,17}")) {
            return Optional.of(name);
        }
        return Optional.ofNullable(V1_NAMES.get(name)).map(id -> "eip155:" + id);
    }

    /** The v1 name of a CAIP-2 id Purser knows a name for. */
    public static Optional<String> toV1Name(String caip2) {
        return V1_NAMES.entrySet().stream().filter(e -> ("eip155:" + e.getValue()).equals(caip2))
                .map(Map.Entry::getKey).findFirst();
    }
}
