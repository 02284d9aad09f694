package dev.purser.x402;

import dev.purser.crypto.Address;
import dev.purser.crypto.ServerKey;
import dev.purser.money.Asset;
import dev.purser.testing.Anvil;
import dev.purser.testing.ChainProxy;
import dev.purser.testing.NodePeers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A local Base Sepolia for the application under test: anvil with chain id 84532, our EIP-3009
 * token's code placed at the real USDC address, and the operator's wallet (the key Purser will
 * load from its data directory) given ether for gas. Purser reaches the node through a
 * {@link ChainProxy}, so a test can lose a broadcast on purpose.
 *
 * <p>anvil, solc and viem come from npm, cached under {@code target/node-peers}. The one case in
 * which the chain tests skip rather than fail: those packages are not cached and the npm registry
 * cannot be reached; then {@value #SKIPPED} carries the reason, and it is logged loudly.
 */
public class LocalChainResource implements QuarkusTestResourceLifecycleManager {

    /** Config key set (to the reason) when the local chain could not be provided. */
    static final String SKIPPED = "local-chain.skipped";

    /** Short, so that the unknown-outcome tests do not wait a minute per settle. */
    static final int RECEIPT_TIMEOUT_SECONDS = 3;

    private static final Logger LOG = Logger.getLogger(LocalChainResource.class);

    private Anvil anvil;
    private ChainProxy proxy;

    @Override
    public Map<String, String> start() {
        if (!NodePeers.nodeAvailable()) {
            throw new IllegalStateException("the on-chain settlement tests need Node.js (20+) and npm on"
                    + " the PATH, to install anvil, solc and viem from npm");
        }
        try {
            Anvil.install();
            NodePeers.installPeers();
        } catch (RuntimeException e) {
            Optional<String> offline = NodePeers.registryUnreachable();
            if (offline.isEmpty()) {
                throw new IllegalStateException("npm is reachable but installing anvil, solc and viem failed", e);
            }
            String reason = "SKIPPED on-chain settlement tests: the npm registry is unreachable and anvil,"
                    + " solc and viem are not cached under target/node-peers (" + offline.get().strip() + ")";
            LOG.warn("\n*** " + reason + " ***\n");
            return Map.of(SKIPPED, reason);
        }
        try {
            anvil = Anvil.start(Asset.BASE_SEPOLIA_USDC.chainId());
            anvil.rpc("anvil_setCode", Asset.BASE_SEPOLIA_USDC.address(),
                    Anvil.compile("chain/TestUsdc.sol", "TestUsdc"));
            proxy = ChainProxy.start(anvil.url());
            Path dataDir = Files.createTempDirectory(Path.of("target"), "purser-chain");
            Address operator = ServerKey.loadOrCreate(dataDir, EmbeddedFacilitator.OPERATOR_KEY_FILE).address();
            anvil.rpc("anvil_setBalance", operator.lowerHex(), "0xde0b6b3a7640000"); // 1 ETH
            return Map.of("purser.chain-rpc-url", proxy.url(), "purser.data-dir", dataDir.toAbsolutePath().toString(),
                    "purser.chain-receipt-timeout-seconds", Integer.toString(RECEIPT_TIMEOUT_SECONDS),
                    // the tests reconcile when they mean to, not on a timer
                    "purser.chain-reconcile-interval", "1h");
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start the local chain", e);
        }
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        if (anvil != null) {
            anvil.close();
            anvil = null;
        }
    }
}
