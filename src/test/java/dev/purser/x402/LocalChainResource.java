package dev.purser.x402;

import dev.purser.crypto.Address;
import dev.purser.crypto.ServerKey;
import dev.purser.money.Asset;
import dev.purser.testing.Anvil;
import dev.purser.testing.NodePeers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A local Base Sepolia for the application under test: anvil with chain id 84532, our EIP-3009
 * token's code placed at the real USDC address, and the operator's wallet (the key Purser will
 * load from its data directory) given ether for gas. Without node and npm it configures nothing,
 * and the tests that need the chain skip themselves.
 */
public class LocalChainResource implements QuarkusTestResourceLifecycleManager {

    /** Short, so that the unknown-outcome test does not wait a minute per settle. */
    static final int RECEIPT_TIMEOUT_SECONDS = 3;

    private Anvil anvil;

    @Override
    public Map<String, String> start() {
        if (!NodePeers.nodeAvailable()) {
            return Map.of();
        }
        try {
            anvil = Anvil.start(Asset.BASE_SEPOLIA_USDC.chainId());
            anvil.rpc("anvil_setCode", Asset.BASE_SEPOLIA_USDC.address(),
                    Anvil.compile("chain/TestUsdc.sol", "TestUsdc"));
            Path dataDir = Files.createTempDirectory("purser-chain");
            Address operator = ServerKey.loadOrCreate(dataDir, EmbeddedFacilitator.OPERATOR_KEY_FILE).address();
            anvil.rpc("anvil_setBalance", operator.lowerHex(), "0xde0b6b3a7640000"); // 1 ETH
            return Map.of("purser.chain-rpc-url", anvil.url(), "purser.data-dir", dataDir.toString(),
                    "purser.chain-receipt-timeout-seconds", Integer.toString(RECEIPT_TIMEOUT_SECONDS));
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start the local chain", e);
        }
    }

    @Override
    public void stop() {
        if (anvil != null) {
            anvil.close();
            anvil = null;
        }
    }
}
