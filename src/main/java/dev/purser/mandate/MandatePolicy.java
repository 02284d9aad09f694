package dev.purser.mandate;

import dev.purser.money.Asset;

/**
 * What a mandate is checked against besides itself: the settlement network's USDC (whose chain id
 * is the EIP-712 domain's {@code chainId}, so a mandate signed for another chain never verifies)
 * and how deep delegation may go.
 *
 * @param asset the only asset envelopes may be in
 * @param maxDepth how many levels of children a root may have; 0 forbids child mandates
 */
public record MandatePolicy(Asset asset, int maxDepth) {

    /** Base Sepolia USDC and depth 3, the defaults of a first run. */
    public static final MandatePolicy DEFAULT = new MandatePolicy(Asset.BASE_SEPOLIA_USDC, 3);

    public MandatePolicy {
        if (asset == null) {
            throw new IllegalArgumentException("asset is required");
        }
        if (maxDepth < 0 || maxDepth > 16) {
            throw new IllegalArgumentException("maxDepth must be in 0..16: " + maxDepth);
        }
    }

    public long chainId() {
        return asset.chainId();
    }
}
