package dev.purser.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void atomicUsdcReadsInWholeTokensWithAtLeastTwoPlaces() {
        assertEquals("1.50", Units.usdc("1500000"));
        assertEquals("0.001234", Units.usdc("1234"));
        assertEquals("0.00", Units.usdc("0"));
        assertEquals("0.000001", Units.usdc("000001"));
        assertEquals("12345678901234.567891", Units.usdc("12345678901234567891"));
        assertEquals("9223372036854.775807", Units.usdc(Long.toString(Long.MAX_VALUE)));
        assertEquals("1.50", Units.usdc("1500000", "eip155:84532"));
        assertEquals("42", Units.human("42", 0));
    }

    @Test
    void unixSecondsReadAsUtcTimesAndZeroAsNone() {
        assertEquals("2026-12-07T00:00:00Z", Units.unixTime(1796601600L, "never"));
        assertEquals("2026-12-07T00:00:00Z", Units.unixTime(1796601600, "never"));
        assertEquals("never", Units.unixTime(0, "never"));
        assertEquals("never", Units.unixTime(null, "never"));
    }

    @Test
    void whatIsNotAnAmountIsShownAsItIs() {
        assertEquals("-5", Units.usdc("-5"));
        assertEquals("1e6", Units.usdc("1e6"));
        assertEquals("", Units.usdc(null));
    }
}
