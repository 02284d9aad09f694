package dev.purser.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HexTest {

    @Test
    void roundTripsBytesInLowerCase() {
        byte[] bytes = {0, 1, (byte) 0xab, (byte) 0xff};
        assertEquals("0x0001abff", Hex.encode(bytes));
        assertArrayEquals(bytes, Hex.decode("0x0001ABff"));
        assertArrayEquals(new byte[0], Hex.decode("0x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "00ff", "0X00", "0x0", "0x0g", "0x 0", "0x０0"})
    void refusesAnythingButPrefixedEvenLengthAsciiHex(String text) {
        assertThrows(IllegalArgumentException.class, () -> Hex.decode(text));
    }

    @Test
    void decodesAFixedLengthOrRefuses() {
        assertEquals(2, Hex.decode("0xabcd", 2).length);
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("0xabcd", 3));
        assertTrue(Hex.isHex("0xabCD", 2));
        assertFalse(Hex.isHex("0xabcd", 3));
        assertFalse(Hex.isHex("0xabcg", 2));
    }

    @Test
    void bytes32ComparesContentsAndRefusesOtherLengths() {
        String hex = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
        assertEquals(Bytes32.fromHex(hex), Bytes32.fromHex(hex.toUpperCase().replace("0X", "0x")));
        assertEquals(hex, Bytes32.fromHex(hex).toString());
        assertTrue(Bytes32.ZERO.isZero());
        assertThrows(IllegalArgumentException.class, () -> Bytes32.fromHex("0x00"));
    }
}
