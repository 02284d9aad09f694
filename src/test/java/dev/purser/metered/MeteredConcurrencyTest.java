package dev.purser.metered;

import static dev.purser.metered.Metered.buyer;
import static dev.purser.metered.Metered.chat;
import static dev.purser.metered.Metered.cost;
import static dev.purser.metered.Metered.job;
import static dev.purser.metered.Metered.modelId;
import static dev.purser.metered.Metered.prices;
import static dev.purser.metered.Metered.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Receipt;
import dev.purser.testing.LedgerAudit;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * 64 concurrent calls on one envelope whose budget covers about half of them (issue 17): the
 * upstream reports exactly the worst case as usage, so each completed call costs its reservation
 * and the budget admits exactly 32, however the calls interleave. Spent never passes the budget,
 * each completed call is charged once, each refused one nothing, and the ledger's chain holds.
 */
@QuarkusTest
@TestProfile(MeteredProfile.class)
class MeteredConcurrencyTest {

    private static final long IN = 2_000_000;
    private static final long OUT = 3_000_000;
    private static final int CALLS = 64;
    private static final int MAX_TOKENS = 40;

    @Inject
    Envelopes envelopes;

    @Test
    void sixtyFourConcurrentCallsNeverSpendPastTheBudgetAndChargeEachCompletedCallOnce()
            throws Exception {
        try (FakeOpenAiUpstream up = FakeOpenAiUpstream.start()) {
            String model = modelId("crowd");
            upstream(up.baseUrl(), Map.of(model, prices(IN, OUT)));
            ObjectNode request = chat(model, "the same question, asked by many")
                    .put("max_tokens", MAX_TOKENS);
            int in = (int) Metered.inputBound(request.get("messages"));
            long worstCase = cost(in, MAX_TOKENS, IN, OUT);
            // usage = the bounds: a completed call costs exactly its reservation
            up.always(UpstreamReply.text("an answer").usage(in, MAX_TOKENS).slowChunks(150));
            long budget = 32 * worstCase + worstCase / 2;
            Metered.Buyer buyer = buyer(budget, List.of());

            ObjectNode job = job(buyer, request).put("concurrency", CALLS).put("timeoutMs", 60000);
            List<JsonNode> results = OpenAiClient.run(job);

            assertEquals(CALLS, results.size());
            int completed = 0;
            long charged = 0;
            Set<String> receipts = new HashSet<>();
            for (JsonNode r : results) {
                if (r.get("ok").asBoolean()) {
                    completed++;
                    charged += r.at("/headers/x-purser-cost").asLong();
                    assertEquals(worstCase, r.at("/headers/x-purser-cost").asLong(), r.toString());
                    assertTrue(receipts.add(r.at("/headers/x-purser-receipt").asText()),
                            "each call its own receipt");
                } else {
                    assertEquals(402, r.at("/error/status").asInt(), r.toString());
                    assertEquals("insufficient_budget", r.at("/error/code").asText());
                }
            }
            assertEquals(32, completed, "exactly the calls the budget covers");
            assertEquals(completed, up.chatCalls().size(), "a refused call never reached it");

            JsonPath e = Metered.envelope(buyer.mandateId());
            long spent = Long.parseLong(e.getString("spent"));
            assertEquals(charged, spent, "every completed call charged once, the refused none");
            assertTrue(spent <= budget);
            assertEquals(0, Long.parseLong(e.getString("reserved")));
            List<Receipt> audited = LedgerAudit.overHttp(Bytes32.fromHex(buyer.mandateId()), spent,
                    0, Long.parseLong(e.getString("remaining")), envelopes.chainId(),
                    envelopes.receiptSigner());
            assertEquals(completed, audited.size());
        }
    }
}
