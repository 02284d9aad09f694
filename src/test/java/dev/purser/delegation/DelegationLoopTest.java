package dev.purser.delegation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.ledger.Envelopes;
import dev.purser.testing.A2aJsAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Brokers that list each other's services must not hand one task back and forth: a delegated
 * message carries the Pursers it came through ({@code purser.via}), and a Purser that finds
 * itself there, or too many brokers, does not delegate the task again.
 */
@QuarkusTest
@TestProfile(DelegationProfile.class)
class DelegationLoopTest {

    @Inject
    Envelopes envelopes;

    private final List<String> providers = new ArrayList<>();
    private final List<A2aJsAgent> agents = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        providers.forEach(Buyer::delete);
        agents.forEach(A2aJsAgent::close);
    }

    private String self() {
        return envelopes.receiptSigner().checksummed();
    }

    private static Message ask(String skill, String text, List<String> via,
            Map<String, String> more) {
        ObjectNode md = JsonNodeFactory.instance.objectNode().put("purser.skill", skill);
        more.forEach(md::put);
        ArrayNode list = md.putArray("purser.via");
        via.forEach(list::add);
        return A2aClient.userMessage(text, md);
    }

    private static String other(int i) {
        return String.format("0x%040x", 0xb0b0 + i);
    }

    @Test
    void aTaskThatCameThroughThisPurserOrTooManyBrokersIsNotDelegatedAgain() throws Exception {
        A2aJsAgent js = A2aJsAgent.start(A2aJsAgent.Settings.echo().named("looped"));
        agents.add(js);
        js.configure(Map.of("skill", "looped"));
        providers.add(Buyer.register("{\"cardUrl\": \"" + js.cardUrl() + "\"}"));
        Buyer buyer = new Buyer();

        Task loop = buyer.buy(ask("looped", "round and round", List.of(other(1), self()),
                Map.of()), 0, null).task().orElseThrow();
        assertEquals(TaskState.REJECTED, loop.state(), loop::toString);
        assertTrue(loop.status().message().text().contains("delegation loop"), loop::toString);

        List<String> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(other(i));
        }
        Task far = buyer.buy(ask("looped", "far away", eight, Map.of()), 0, null).task()
                .orElseThrow();
        assertEquals(TaskState.REJECTED, far.state(), far::toString);
        assertTrue(far.status().message().text().contains("PURSER_DELEGATION_MAX_HOPS (8)"),
                far::toString);
        assertEquals(0, js.tasks(), "neither was sent to the provider");

        Task near = buyer.buy(ask("looped", "one hop", eight.subList(0, 7), Map.of()), 0, null)
                .task().orElseThrow();
        assertEquals(TaskState.COMPLETED, near.state(), near::toString);
        assertEquals(1, js.tasks());
    }

    @Test
    void aDelegatedMessageNamesTheBrokersItCameThroughAndALoopIsServedLocally() throws Exception {
        String me = Buyer.register("{\"cardUrl\": \"" + Buyer.base() + "\"}");
        providers.add(me);
        Buyer buyer = new Buyer();

        // Pinned to this Purser as a provider: the task comes back here, through this Purser,
        // so here it is served by the local skill rather than delegated once more.
        Task done = buyer.buy(ask("echo", "to myself", List.of(other(1)),
                Map.of("purser.provider", me)), 0, null).task().orElseThrow();
        assertEquals(TaskState.COMPLETED, done.state(), done::toString);
        JsonNode delegation = done.metadata().get("purser.delegation");
        assertEquals(me, delegation.get("provider").asText());

        Task inner = buyer.client.get(buyer.purser.endpoint(),
                delegation.get("providerTaskId").asText(), Buyer.OPTIONS);
        JsonNode via = inner.history().getFirst().metadata().get("purser.via");
        assertEquals(List.of(other(1), self()), List.of(via.get(0).asText(), via.get(1).asText()));
        assertEquals(2, via.size());
        assertTrue(inner.metadata() == null || !inner.metadata().has("purser.delegation"),
                "the inner task was not delegated again: " + inner.metadata());
    }
}
