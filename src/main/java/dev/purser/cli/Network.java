package dev.purser.cli;

import dev.purser.crypto.Address;
import dev.purser.mandate.MandatePolicy;
import dev.purser.mandate.MandateVerifier;
import dev.purser.money.Asset;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The settlement chain a document is signed for: its EIP-712 chainId and its USDC. */
final class Network {

    @Option(names = "--chain-id", defaultValue = "84532",
            description = "EIP-712 chainId of the settlement network (default: ${DEFAULT-VALUE},"
                    + " Base Sepolia; 8453 is Base).")
    long chainId;

    @Option(names = "--asset", description = "The token contract; default: USDC on the chain.")
    Optional<String> asset;

    /** The asset to sign for: the chain's known USDC, or the one given. */
    Asset asset() {
        Optional<Asset> known = Asset.usdcOn("eip155:" + chainId);
        if (asset.isEmpty()) {
            return known.orElseThrow(() -> new IllegalArgumentException("Purser knows no USDC on "
                    + "chain " + chainId + "; name the token with --asset"));
        }
        Address address = Address.of(asset.get());
        if (known.isPresent() && known.get().isToken(address.lowerHex())) {
            return known.get();
        }
        return new Asset("eip155:" + chainId, address.checksummed(), 6, "USDC", "2");
    }

    /** The server's verifier as a server on this chain would run it. */
    MandateVerifier verifier(Clock clock) {
        return new MandateVerifier(new MandatePolicy(asset(), MandatePolicy.DEFAULT.maxDepth()),
                clock);
    }
}
