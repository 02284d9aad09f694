package dev.purser.delegation;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aCallException;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.client.AgentEndpoint;
import dev.purser.a2a.client.CallOptions;
import dev.purser.a2a.client.PaidResult;
import dev.purser.a2a.client.PaidSend;
import dev.purser.a2a.client.RemoteCard;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.EnvelopeSpec;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.OpenResult;
import dev.purser.money.Asset;
import dev.purser.x402.Payer;
import io.restassured.RestAssured;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** A buyer of Purser's marketplace: the operator's registrations, and an agent that pays. */
final class Buyer {

    static final CallOptions OPTIONS = CallOptions.timeout(Duration.ofSeconds(30));
    static final Asset USDC = Asset.usdcOn("eip155:84532").orElseThrow();

    final A2aClient client = new A2aClient();
    final Payer payer = Payer.of(Secp256k1Key.generate(new SecureRandom()), Clock.systemUTC());
    final RemoteCard purser;
    /** How this buyer calls: {@link #OPTIONS}, with its bearer token when it has one. */
    final CallOptions options;

    /** An anonymous buyer. */
    Buyer() throws A2aCallException {
        this(OPTIONS);
    }

    private Buyer(CallOptions options) throws A2aCallException {
        this.options = options;
        purser = client.card(base(), options);
    }

    /** A buyer who sends {@code authorization} (e.g. {@code Tokens.bearer(subject)}). */
    static Buyer authorized(String authorization) throws A2aCallException {
        return new Buyer(OPTIONS.withHeaders(Map.of("Authorization", authorization)));
    }

    static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    /** Registers a provider as the operator; answers its id. */
    static String register(String body) {
        return given().header("Authorization", "Bearer " + DelegationProfile.TOKEN)
                .contentType("application/json").body(body).post("/api/market/providers").then()
                .statusCode(201).extract().jsonPath().getString("id");
    }

    static void delete(String providerId) {
        given().header("Authorization", "Bearer " + DelegationProfile.TOKEN)
                .delete("/api/market/providers/" + providerId).then().statusCode(200);
    }

    /** A message for {@code skill}, with more {@code purser.*} metadata. */
    static Message ask(String skill, String text, Map<String, String> more) {
        ObjectNode md = JsonNodeFactory.instance.objectNode().put("purser.skill", skill);
        more.forEach(md::put);
        return A2aClient.userMessage(text, md);
    }

    /** Opens a root envelope of {@code budget} whose agent (and principal) is this buyer. */
    Envelope openEnvelope(Envelopes envelopes, long budget) {
        byte[] id = new byte[32];
        new SecureRandom().nextBytes(id);
        EnvelopeSpec spec = EnvelopeSpec.root(new Bytes32(id), payer.address(), payer.address(),
                Address.of(USDC.address()), USDC.network(), budget)
                .withLimits(EnvelopeSpec.Limits.NONE);
        return ((OpenResult.Opened) envelopes.open(spec)).envelope();
    }

    /** Buys at most {@code max} atomic units' worth; {@code events} null = blocking. */
    PaidResult buy(Message m, long max, Consumer<StreamEvent> events) throws A2aCallException {
        AgentEndpoint endpoint = purser.endpoint();
        return new PaidSend(client, payer).send(endpoint, m, USDC, max,
                Payer.nonceFor(UUID.randomUUID().toString(), "buyer"), options, events);
    }
}
