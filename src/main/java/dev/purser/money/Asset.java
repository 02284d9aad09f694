package dev.purser.money;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A token that amounts are counted in, as x402 and EIP-3009 need to name it.
 *
 * <p>The address is kept as given, which for the constants is EIP-55 checksummed (a test in the
 * crypto package proves it: checksumming needs keccak-256, which this package may not import).
 * Compare tokens with {@link #isToken}, which ignores case, since peers send addresses in any case.
 *
 * @param network CAIP-2 chain id, e.g. {@code eip155:84532}
 * @param address the token contract, {@code 0x} + 40 hex digits
 * @param decimals how many atomic units make one whole token, as a power of ten
 * @param eip712Name the token's EIP-712 domain name, which signatures commit to
 * @param eip712Version the token's EIP-712 domain version
 */
public record Asset(String network, String address, int decimals, String eip712Name,
        String eip712Version) {

    // Declared before the constants below: static fields initialize in source order.
    private static final Pattern EVM_NETWORK = Pattern.compile("eip155:[1-9][0-9]{0,17}");

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    /**
     * USDC on Base Sepolia. Its EIP-712 name is {@code "USDC"}, not {@code "USD Coin"}: the x402
     * spec's example signature recovers to its payer only with that name (vectors.md §3).
     */
    public static final Asset BASE_SEPOLIA_USDC = new Asset("eip155:84532",
            "0x036CbD53842c5426634e7929541eC2318f3dCF7e", 6, "USDC", "2");

    /** USDC on Base mainnet. */
    public static final Asset BASE_USDC = new Asset("eip155:8453",
            "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", 6, "USD Coin", "2");

    private static final List<Asset> KNOWN_USDC = List.of(BASE_SEPOLIA_USDC, BASE_USDC);

    public Asset {
        if (network == null || !EVM_NETWORK.matcher(network).matches()) {
            throw new IllegalArgumentException("network must be a CAIP-2 eip155 id: " + network);
        }
        if (address == null || !ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("address must be 0x + 40 hex digits: " + address);
        }
        // 18 is the most any ERC-20 uses; more could not be counted in a long anyway.
        if (decimals < 0 || decimals > 18) {
            throw new IllegalArgumentException("decimals must be in 0..18: " + decimals);
        }
        if (eip712Name == null || eip712Name.isEmpty()) {
            throw new IllegalArgumentException("EIP-712 domain name is required");
        }
        if (eip712Version == null || eip712Version.isEmpty()) {
            throw new IllegalArgumentException("EIP-712 domain version is required");
        }
    }

    /** The known USDC deployment on a CAIP-2 network, if Purser knows one. */
    public static Optional<Asset> usdcOn(String network) {
        return KNOWN_USDC.stream().filter(asset -> asset.network.equals(network)).findFirst();
    }

    /** The EIP-155 chain id, the number after {@code eip155:}; the EIP-712 {@code chainId}. */
    public long chainId() {
        return Long.parseLong(network.substring("eip155:".length()));
    }

    /** Whether {@code otherAddress} names this token's contract, in any letter case. */
    public boolean isToken(String otherAddress) {
        return otherAddress != null
                && address.toLowerCase(Locale.ROOT).equals(otherAddress.toLowerCase(Locale.ROOT));
    }
}
