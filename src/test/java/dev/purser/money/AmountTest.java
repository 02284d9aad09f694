package dev.purser.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmountTest {

    @Test
    void parsesDecimalStringOfAtomicUnits() {
        assertEquals(Amount.of(1_000_000), Amount.parse("1000000").orElseThrow());
        assertEquals(Amount.ZERO, Amount.parse("0").orElseThrow());
        assertEquals(Amount.of(Long.MAX_VALUE),
                Amount.parse("9223372036854775807").orElseThrow());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                     | EMPTY",
        "-1                     | SIGNED",
        "+1                     | SIGNED",
        "' 1'                   | WHITESPACE",
        "'1 '                   | WHITESPACE",
        "1.5                    | FRACTIONAL",
        "1.0                    | FRACTIONAL",
        "1e6                    | EXPONENT",
        "1E6                    | EXPONENT",
        "0x10                   | NOT_A_DIGIT",
        "١٢                     | NOT_A_DIGIT",
        "007                    | LEADING_ZERO",
        "9223372036854775808    | EXCEEDS_LONG",
        "99999999999999999999   | EXCEEDS_LONG",
    })
    void refusesEveryOtherSpellingWithItsReason(String text, AmountParse.Reason reason) {
        AmountParse parse = Amount.parse(text);
        AmountParse.Refused refused = (AmountParse.Refused) parse;
        assertEquals(reason, refused.reason());
        assertTrue(parse.toOptional().isEmpty());
    }

    @Test
    void refusesNull() {
        assertEquals(AmountParse.Reason.EMPTY, ((AmountParse.Refused) Amount.parse(null)).reason());
    }

    @Test
    void orElseThrowCarriesTheReason() {
        InvalidAmountException e =
                assertThrows(InvalidAmountException.class, () -> Amount.parse("1.5").orElseThrow());
        assertEquals(AmountParse.Reason.FRACTIONAL, e.reason());
    }

    @Test
    void narrowsUint256WithARangeCheckThatRefusesInsteadOfOverflowing() {
        assertEquals(Amount.of(10_000), Amount.fromUint256(BigInteger.valueOf(10_000))
                .orElseThrow());
        BigInteger aboveLong = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        assertEquals(AmountParse.Reason.EXCEEDS_LONG,
                ((AmountParse.Refused) Amount.fromUint256(aboveLong)).reason());
        BigInteger maxUint256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        assertEquals(AmountParse.Reason.EXCEEDS_LONG,
                ((AmountParse.Refused) Amount.fromUint256(maxUint256)).reason());
        assertEquals(AmountParse.Reason.EXCEEDS_UINT256,
                ((AmountParse.Refused) Amount.fromUint256(BigInteger.ONE.shiftLeft(256)))
                        .reason());
        assertEquals(AmountParse.Reason.SIGNED,
                ((AmountParse.Refused) Amount.fromUint256(BigInteger.valueOf(-1))).reason());
    }

    @Test
    void arithmeticIsOverflowChecked() {
        assertEquals(Amount.of(3), Amount.of(1).plus(Amount.of(2)));
        assertEquals(Amount.of(1), Amount.of(3).minus(Amount.of(2)));
        assertThrows(ArithmeticException.class,
                () -> Amount.of(Long.MAX_VALUE).plus(Amount.of(1)));
        assertThrows(ArithmeticException.class, () -> Amount.of(1).minus(Amount.of(2)));
    }

    @Test
    void neverNegative() {
        assertThrows(IllegalArgumentException.class, () -> Amount.of(-1));
    }

    @Test
    void wireFormIsTheDecimalString() {
        assertEquals("1000000", Amount.of(1_000_000).toDecimalString());
        assertEquals("1000000", Amount.of(1_000_000).toString());
        assertEquals(BigInteger.valueOf(5), Amount.of(5).toUint256());
        assertTrue(Amount.of(5).isAtMost(Amount.of(5)));
        assertTrue(Amount.of(4).compareTo(Amount.of(5)) < 0);
    }
}
