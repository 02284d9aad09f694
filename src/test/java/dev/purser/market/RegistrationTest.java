package dev.purser.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** JSON written with single quotes, for readable literals. */
    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String refusedField(String body) {
        MarketRefusal.Refused e = assertThrows(MarketRefusal.Refused.class,
                () -> Registration.parse(json(body)));
        assertEquals("invalid", e.refusal().code());
        assertEquals(400, e.refusal().status());
        return e.refusal().field();
    }

    @Test
    void aFullBodyParses() {
        Registration r = Registration.parse(json("{'cardUrl': 'https://agent.example', 'fee': {'bps': 250},"
                + " 'skills': {'sum': {'price': '700', 'cacheTtl': '10m'}, 'all': {}},"
                + " 'headers': {'X-Api-Key': 'k'}}"));
        assertEquals("https://agent.example", r.cardUrl());
        assertEquals(Fee.bps(250), r.fee());
        assertEquals(Optional.of(700L), r.skills().orElseThrow().get("sum").price());
        assertEquals(Optional.of(Duration.ofMinutes(10)), r.skills().orElseThrow().get("sum").cacheTtl());
        assertEquals(Optional.empty(), r.skills().orElseThrow().get("all").price());
        assertEquals(Optional.of(Map.of("X-Api-Key", "k")), r.headers());
        assertEquals(Fee.amount(5), Registration.parse(json("{'cardUrl': 'http://a.b', 'fee': {'amount': '5'}}")).fee());
    }

    @Test
    void eachMalformedMemberIsRefusedByName() {
        assertEquals("cardUrl", refusedField("{}"));
        assertEquals("cardUrl", refusedField("{'cardUrl': 'ftp://x'}"));
        assertEquals("cardUrl", refusedField("{'cardUrl': 'not a url'}"));
        assertEquals("cardUrl", refusedField("{'cardUrl': 'https://user:pw@a.b/card'}"));
        assertEquals("fee", refusedField("{'cardUrl': 'http://a.b', 'fee': {'bps': 1, 'amount': '1'}}"));
        assertEquals("fee.bps", refusedField("{'cardUrl': 'http://a.b', 'fee': {'bps': -1}}"));
        assertEquals("fee.bps", refusedField("{'cardUrl': 'http://a.b', 'fee': {'bps': 2.5}}"));
        assertEquals("fee.amount", refusedField("{'cardUrl': 'http://a.b', 'fee': {'amount': 5}}"));
        assertEquals("fee.amount", refusedField("{'cardUrl': 'http://a.b', 'fee': {'amount': '-5'}}"));
        assertEquals("skills", refusedField("{'cardUrl': 'http://a.b', 'skills': []}"));
        assertEquals("skills.x.price", refusedField("{'cardUrl': 'http://a.b', 'skills': {'x': {'price': '1.5'}}}"));
        assertEquals("skills.x.cacheTtl", refusedField("{'cardUrl': 'http://a.b', 'skills': {'x': {'cacheTtl': 'soon'}}}"));
        assertEquals("headers.Host", refusedField("{'cardUrl': 'http://a.b', 'headers': {'Host': 'x'}}"));
        assertEquals("headers.X", refusedField("{'cardUrl': 'http://a.b', 'headers': {'X': 1}}"));
    }

    @Test
    void theFeeRoundsUpToAWholeAtomicUnitAndNeverOverflows() {
        assertEquals(250, Fee.bps(250).on(10_000));
        assertEquals(1, Fee.bps(1).on(1)); // 0.0001 of a unit rounds up to one
        assertEquals(0, Fee.bps(250).on(0));
        assertEquals(7, Fee.amount(7).on(0));
        assertEquals(0, Fee.NONE.on(123));
        assertThrows(ArithmeticException.class, () -> Fee.bps(Fee.MAX_BPS).on(Long.MAX_VALUE / 2));
    }

    @Test
    void cardsAreLookedForAtTheExactUrlOrTheWellKnownPaths() {
        assertEquals(List.of("http://h:1/.well-known/agent-card.json", "http://h:1/.well-known/agent.json"),
                CardFetcher.candidates("http://h:1/"));
        assertEquals(List.of("http://h:1/.well-known/agent-card.json", "http://h:1/.well-known/agent.json"),
                CardFetcher.candidates("http://h:1/.well-known/agent-card.json"));
        assertEquals(List.of("http://h/card.json"), CardFetcher.candidates("http://h/card.json"));
        assertEquals(List.of("http://h/agents/a", "http://h/agents/a/.well-known/agent-card.json",
                "http://h/agents/a/.well-known/agent.json"), CardFetcher.candidates("http://h/agents/a"));
    }
}
