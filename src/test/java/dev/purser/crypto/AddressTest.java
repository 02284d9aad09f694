package dev.purser.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.money.Asset;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
        "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
        "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
        "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB",
        "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC",
        "0x857b06519E91e3A54538791bDbb0E22373e36b66",
        "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        "0xef678007D18427E6022059Dbc264f27507CD1ffC",
    })
    void rendersEveryVectorAddressWithItsEip55Checksum(String checksummed) {
        String lower = "0x" + checksummed.substring(2).toLowerCase(Locale.ROOT);
        String upper = "0x" + checksummed.substring(2).toUpperCase(Locale.ROOT);
        assertEquals(checksummed, Address.of(lower).toString());
        assertEquals(checksummed, Address.of(upper).toString());
        assertEquals(checksummed, Address.of(checksummed).checksummed());
        assertEquals(Address.of(lower), Address.of(checksummed));
    }

    @Test
    void refusesMixedCaseWithAWrongChecksum() {
        // One letter's case flipped: a typo EIP-55 exists to catch.
        assertEquals(Optional.empty(), Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bda02913"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Address.of("0x833589FCD6eDb6E08f4c7C32D4f71b54bdA02913"));
        assertTrue(e.getMessage().contains("checksum"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0x", "833589fcd6edb6e08f4c7c32d4f71b54bda02913",
        "0x833589fcd6edb6e08f4c7c32d4f71b54bda0291",
        "0x833589fcd6edb6e08f4c7c32d4f71b54bda0291300",
        "0x833589fcd6edb6e08f4c7c32d4f71b54bda0291g"})
    void refusesMalformedAddresses(String text) {
        assertEquals(Optional.empty(), Address.parse(text));
    }

    @Test
    void assetConstantsAreChecksummed() {
        for (Asset asset : new Asset[] {Asset.BASE_USDC, Asset.BASE_SEPOLIA_USDC}) {
            assertEquals(asset.address(), Address.of(asset.address()).checksummed());
        }
    }
}
