package dev.purser.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AssetTest {

    @Test
    void knowsUsdcOnBaseAndBaseSepoliaWithTheirEip712Domains() {
        assertEquals(84532, Asset.BASE_SEPOLIA_USDC.chainId());
        assertEquals("USDC", Asset.BASE_SEPOLIA_USDC.eip712Name());
        assertEquals(8453, Asset.BASE_USDC.chainId());
        assertEquals("USD Coin", Asset.BASE_USDC.eip712Name());
        assertEquals("2", Asset.BASE_USDC.eip712Version());
        assertEquals(6, Asset.BASE_USDC.decimals());
        assertEquals(Optional.of(Asset.BASE_SEPOLIA_USDC), Asset.usdcOn("eip155:84532"));
        assertEquals(Optional.empty(), Asset.usdcOn("eip155:1"));
    }

    @Test
    void matchesTokenAddressesInAnyCase() {
        assertTrue(Asset.BASE_USDC.isToken("0x833589fcd6edb6e08f4c7c32d4f71b54bda02913"));
        assertFalse(Asset.BASE_USDC.isToken(Asset.BASE_SEPOLIA_USDC.address()));
    }

    @Test
    void refusesMalformedFields() {
        assertThrows(IllegalArgumentException.class,
                () -> new Asset("base-sepolia", Asset.BASE_USDC.address(), 6, "USDC", "2"));
        assertThrows(IllegalArgumentException.class,
                () -> new Asset("eip155:8453", "0x1234", 6, "USDC", "2"));
        assertThrows(IllegalArgumentException.class,
                () -> new Asset("eip155:8453", Asset.BASE_USDC.address(), 19, "USDC", "2"));
    }
}
