package dev.purser.x402;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/** Payments (DESIGN §7, §8). */
@ConfigMapping(prefix = "purser")
public interface X402Config {

    /** {@code PURSER_NETWORK}: settlement network, a v1 name or CAIP-2 id; also the EIP-712 chainId. */
    @WithDefault("base-sepolia")
    String network();

    /** {@code PURSER_PAY_TO}: where payments for local skills go; else the generated operator address. */
    @WithName("pay-to")
    Optional<String> payTo();

    /** {@code PURSER_FACILITATOR_URL}: a remote x402 facilitator; unset = the embedded one. */
    @WithName("facilitator-url")
    Optional<String> facilitatorUrl();

    /** {@code PURSER_CHAIN_RPC_URL}: the EVM node the embedded facilitator settles on; unset = ledger only. */
    @WithName("chain-rpc-url")
    Optional<String> chainRpcUrl();

    /**
     * {@code PURSER_CHAIN_RECEIPT_TIMEOUT_SECONDS}: how long a settle waits for its transaction's
     * receipt before answering that the outcome is unknown (the settlement then stays pending).
     */
    @WithName("chain-receipt-timeout-seconds")
    @WithDefault("60")
    int chainReceiptTimeoutSeconds();

    /** {@code PURSER_DATA_DIR}: holds the operator key ({@code operator-key.hex}) that pays the gas. */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();

    /** {@code PURSER_X402_VERSION}: the version requirements are offered in (1 or 2); both are accepted. */
    @WithName("x402-version")
    @WithDefault("2")
    int x402Version();

    /** {@code PURSER_X402_TIMEOUT}: maxTimeoutSeconds offered in requirements. */
    @WithName("x402-timeout-seconds")
    @WithDefault("300")
    int maxTimeoutSeconds();
}
