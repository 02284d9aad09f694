package dev.purser.delegation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.client.CallOptions;
import dev.purser.a2a.client.PaidResult;
import dev.purser.a2a.client.PaidSend;
import dev.purser.a2a.client.RemoteCard;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.money.Asset;
import dev.purser.testing.AppProcess;
import dev.purser.x402.Payer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One Purser resells another (DESIGN §9): two packaged instances, each on its own embedded
 * PostgreSQL. The broker registers the seller's card, a buyer pays the broker the quote, the
 * broker pays the seller its price from its operator key over x402, and each side's records show
 * one payment: the buyer's quote on the broker, the broker's operator paying the provider price on
 * the seller; the fee is the difference.
 */
class TwoPursersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "two-pursers-token";
    private static final CallOptions OPTIONS = CallOptions.timeout(Duration.ofSeconds(30));
    private static final Asset USDC = Asset.usdcOn("eip155:84532").orElseThrow();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aBrokerPurserBuysASellerPursersPaidSkillForItsBuyer() throws Exception {
        try (AppProcess seller = start("seller", "0x00000000000000000000000000000000005e11e7");
                AppProcess broker = start("broker", "0x0000000000000000000000000000000000b40ce7")) {
            String provider = register(broker, seller.baseUrl()).get("id").asText();
            A2aClient client = new A2aClient();
            RemoteCard card = client.card(broker.baseUrl(), OPTIONS);
            Payer buyer = Payer.of(Secp256k1Key.generate(new SecureRandom()), Clock.systemUTC());
            ObjectNode md = JsonNodeFactory.instance.objectNode().put("purser.skill", "echo-paid")
                    .put("purser.provider", provider);

            PaidResult r = new PaidSend(client, buyer).send(card.endpoint(),
                    A2aClient.userMessage("brokered", md), USDC, 20_000,
                    Payer.nonceFor(UUID.randomUUID().toString(), "buyer"), OPTIONS, null);

            Task done = r.task().orElseThrow();
            assertEquals(TaskState.COMPLETED, done.state(), done::toString);
            assertEquals("brokered", done.artifacts().getFirst().parts().getFirst().text());
            assertEquals(10_250, r.paid().orElseThrow().amount(), "seller's 10000 + 250 bps fee");
            JsonNode delegation = done.metadata().get("purser.delegation");
            assertEquals(provider, delegation.get("provider").asText());

            // The seller's side: its task was paid once, the provider price, by the broker's
            // operator key (not by the buyer).
            RemoteCard sellerCard = client.card(seller.baseUrl(), OPTIONS);
            Task sold = client.get(sellerCard.endpoint(), delegation.get("providerTaskId").asText(),
                    OPTIONS);
            assertEquals(TaskState.COMPLETED, sold.state(), sold::toString);
            JsonNode receipts = sold.status().message().metadata().get("x402.payment.receipts");
            assertEquals(1, receipts.size(), receipts::toString);
            assertTrue(receipts.get(0).get("success").asBoolean());
            String payer = receipts.get(0).get("payer").asText();
            assertTrue(!payer.equalsIgnoreCase(buyer.address().checksummed()),
                    "the broker pays the seller, not the buyer");
            // The broker's side: the buyer paid the quote, once.
            JsonNode bought = done.status().message().metadata().get("x402.payment.receipts");
            assertEquals(1, bought.size());
            assertTrue(bought.get(0).get("payer").asText().equalsIgnoreCase(
                    buyer.address().checksummed()));
        }
    }

    private static AppProcess start(String name, String payTo) throws Exception {
        return AppProcess.jar("two-pursers-" + name, AppProcess.freePort())
                .env("PURSER_DATA_DIR", Files.createTempDirectory("purser-" + name).toString())
                .unset("PURSER_DB_URL").env("PURSER_OPERATOR_TOKEN", TOKEN)
                .env("PURSER_MARKET_ALLOW_PRIVATE", "true").env("PURSER_PAY_TO", payTo)
                .start();
    }

    private JsonNode register(AppProcess broker, String sellerUrl) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create(broker.baseUrl() + "/api/market/providers"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"cardUrl\": \"" + sellerUrl
                        + "\", \"fee\": {\"bps\": 250}, \"skills\": {\"echo-paid\": {}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
