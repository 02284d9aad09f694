package dev.purser.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.purser.money.Asset;
import org.junit.jupiter.api.Test;

class MandateBeansTest {

    @Test
    void networksResolveToTheirUsdc() {
        assertEquals(Asset.BASE_SEPOLIA_USDC, MandateBeans.policy("base-sepolia", 3).asset());
        assertEquals(Asset.BASE_USDC, MandateBeans.policy("base", 3).asset());
        assertEquals(Asset.BASE_SEPOLIA_USDC, MandateBeans.policy("eip155:84532", 1).asset());
        assertEquals(1, MandateBeans.policy("eip155:84532", 1).maxDepth());
    }

    @Test
    void aNetworkWithoutKnownUsdcFailsAtStart() {
        assertThrows(IllegalArgumentException.class, () -> MandateBeans.policy("eip155:1", 3));
    }
}
