package dev.purser.delegation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.a2a.client.PaidResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.testing.A2aJsAgent;
import dev.purser.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The result cache (DESIGN §9): a caller who repeats a request to a skill the operator gave a
 * {@code cacheTtl} gets the answer at once and free; nobody else sees it; the buyer can bypass it;
 * it expires; other parts are another request. The provider is an {@code @a2a-js/sdk} echo agent
 * sold at 700 atomic units, one skill of its own per test.
 */
@QuarkusTest
@TestProfile(DelegationProfile.class)
class ResultCacheTest {

    private static final long PRICE = 700;

    @Inject
    DataSource db;

    @Inject
    CacheStore store;

    private A2aJsAgent js;
    private String provider;
    private String skill;

    @BeforeEach
    void registerACachingProvider() {
        skill = "cached-" + UUID.randomUUID();
        js = A2aJsAgent.start(A2aJsAgent.Settings.echo().named("cached echo"));
        js.configure(Map.of("skill", skill));
        provider = Buyer.register("{\"cardUrl\": \"" + js.cardUrl() + "\", \"skills\": {\"" + skill
                + "\": {\"price\": \"" + PRICE + "\", \"cacheTtl\": \"10m\"}}}");
    }

    @AfterEach
    void cleanUp() {
        Buyer.delete(provider);
        js.close();
    }

    private PaidResult buy(Buyer buyer, String text, Map<String, String> more) throws Exception {
        PaidResult r = buyer.buy(Buyer.ask(skill, text, more), PRICE, null);
        Task done = r.task().orElseThrow();
        assertEquals(TaskState.COMPLETED, done.state(), done::toString);
        assertEquals(text, done.artifacts().getFirst().parts().getFirst().text());
        return r;
    }

    private static JsonNode delegation(PaidResult r) {
        return r.task().orElseThrow().metadata().get("purser.delegation");
    }

    private static void assertPaidAndDelegated(PaidResult r) {
        assertTrue(r.paid().isPresent(), () -> "expected a purchase, got " + delegation(r));
        assertEquals(PRICE, r.paid().get().amount());
        assertFalse(delegation(r).get("cached").asBoolean(), () -> delegation(r).toString());
        assertEquals(1, delegation(r).get("attempts").size());
    }

    /** The settled x402 payments this buyer made. */
    private List<Long> payments(Buyer buyer) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select amount from x402_payment where payer = ? and status = 'settled'")) {
            ps.setString(1, buyer.payer.address().lowerHex());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** Makes this test's one cache entry an hour old and expired a second ago. */
    private void backdate() throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update delegation_cache set created_at = now() - interval '1 hour',"
                        + " expires_at = now() - interval '1 second' where service_id = ?")) {
            ps.setString(1, skill);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private long entries() throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from delegation_cache where service_id = ?")) {
            ps.setString(1, skill);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aRepeatIsAnsweredFromTheCacheFreeWithoutCallingTheProvider() throws Exception {
        Buyer buyer = new Buyer();
        PaidResult first = buy(buyer, "twice", Map.of());

        PaidResult second = buy(buyer, "twice", Map.of());

        assertPaidAndDelegated(first);
        assertTrue(second.paid().isEmpty(), "a cache hit asks no payment");
        JsonNode d = delegation(second);
        assertTrue(d.get("cached").asBoolean(), d::toString);
        assertEquals(provider, d.get("provider").asText());
        assertEquals(delegation(first).get("providerTaskId"), d.get("providerTaskId"));
        assertEquals(0, d.get("attempts").size(), "no provider was tried");
        List<StreamEvent> events = new ArrayList<>();
        Task streamed = buyer.buy(Buyer.ask(skill, "twice", Map.of()), PRICE, events::add).task()
                .orElseThrow();
        assertEquals(TaskState.COMPLETED, streamed.state(), streamed::toString);
        assertFalse(events.isEmpty(), "a streaming buyer is answered from the cache too");
        assertEquals(1, js.tasks(), "the provider was called once");
        assertEquals(List.of(PRICE), payments(buyer), "one payment for three answers");
    }

    @Test
    void anotherCallerNeverSeesTheEntryAndPays() throws Exception {
        Buyer anonymous = new Buyer();
        Buyer alice = Buyer.authorized(Tokens.bearer("alice-" + UUID.randomUUID()));
        buy(anonymous, "mine", Map.of());

        PaidResult hers = buy(alice, "mine", Map.of());
        PaidResult again = buy(alice, "mine", Map.of());

        assertPaidAndDelegated(hers);
        assertEquals(2, js.tasks());
        assertEquals(List.of(PRICE), payments(alice));
        assertTrue(delegation(again).get("cached").asBoolean(), "her own entry serves her");
        assertEquals(2, js.tasks());
    }

    @Test
    void purserCacheNoBypassesIt() throws Exception {
        Buyer buyer = new Buyer();
        buy(buyer, "fresh", Map.of());

        PaidResult bypassed = buy(buyer, "fresh", Map.of(CacheKey.BYPASS_KEY, "no"));

        assertPaidAndDelegated(bypassed);
        assertEquals(2, js.tasks());
        assertEquals(List.of(PRICE, PRICE), payments(buyer));
    }

    @Test
    void anExpiredEntryIsNotUsedAndTheNextAnswerReplacesIt() throws Exception {
        Buyer buyer = new Buyer();
        buy(buyer, "stale", Map.of());
        backdate();

        PaidResult expired = buy(buyer, "stale", Map.of());
        PaidResult renewed = buy(buyer, "stale", Map.of());

        assertPaidAndDelegated(expired);
        assertTrue(delegation(renewed).get("cached").asBoolean(), "the new answer was kept");
        assertEquals(2, js.tasks());
        assertEquals(List.of(PRICE, PRICE), payments(buyer));
    }

    @Test
    void expiredEntriesArePurged() throws Exception {
        buy(new Buyer(), "purged", Map.of());
        backdate();

        store.purge();

        assertEquals(0, entries());
    }

    @Test
    void aSkillWithoutACacheTtlIsNeverCached() throws Exception {
        String plain = "uncached-" + UUID.randomUUID();
        A2aJsAgent other = A2aJsAgent.start(A2aJsAgent.Settings.echo().named("plain echo"));
        other.configure(Map.of("skill", plain));
        String id = Buyer.register("{\"cardUrl\": \"" + other.cardUrl() + "\"}");
        try {
            Buyer buyer = new Buyer();
            buyer.buy(Buyer.ask(plain, "again", Map.of()), 0, null);

            PaidResult again = buyer.buy(Buyer.ask(plain, "again", Map.of()), 0, null);

            assertFalse(delegation(again).get("cached").asBoolean());
            assertEquals(2, other.tasks());
        } finally {
            Buyer.delete(id);
            other.close();
        }
    }

    @Test
    void otherPartsAreAnotherRequest() throws Exception {
        Buyer buyer = new Buyer();
        buy(buyer, "one", Map.of());

        PaidResult other = buy(buyer, "two", Map.of());

        assertPaidAndDelegated(other);
        assertEquals(2, js.tasks());
        assertEquals(List.of(PRICE, PRICE), payments(buyer));
    }
}
