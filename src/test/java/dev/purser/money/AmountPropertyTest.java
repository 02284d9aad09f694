package dev.purser.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * The wire amount parser on generated input (jqwik, run by Surefire next to the Jupiter tests):
 * any text is either an amount or a refusal with a reason, never an exception; every long that is
 * an amount reads back as itself.
 */
class AmountPropertyTest {

    @Property(tries = 500)
    void anyTextIsAnAmountOrARefusal(@ForAll String text) {
        AmountParse parsed = Amount.parse(text);
        assertNotNull(parsed);
        if (parsed instanceof AmountParse.Refused r) {
            assertNotNull(r.reason());
        }
    }

    @Property(tries = 500)
    void everyAmountReadsBackAsItself(@ForAll @LongRange(min = 0) long units) {
        AmountParse parsed = Amount.parse(Long.toString(units));
        assertEquals(Amount.of(units),
                assertInstanceOf(AmountParse.Parsed.class, parsed).amount());
    }

    @Property(tries = 200)
    void aSignOrALeadingZeroIsRefused(@ForAll @LongRange(min = 1) long units) {
        assertInstanceOf(AmountParse.Refused.class, Amount.parse("-" + units));
        assertInstanceOf(AmountParse.Refused.class, Amount.parse("+" + units));
        assertInstanceOf(AmountParse.Refused.class, Amount.parse("0" + units));
    }
}
