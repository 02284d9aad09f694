package dev.purser.x402;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Eip3009Abi;
import dev.purser.crypto.Hex;
import dev.purser.crypto.Keccak256;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.crypto.ServerKey;
import dev.purser.money.Asset;
import dev.purser.testing.Anvil;
import dev.purser.testing.ChainProxy;
import dev.purser.testing.NodePeers;
import dev.purser.testing.Rpc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Settlement on a real EVM node (anvil, chain id 84532) with our EIP-3009 token at Base Sepolia's
 * USDC address, payments signed by viem: the money moves exactly once, the receipt names the mined
 * transaction, a payer without funds gets nothing sent, and an outcome not known in time — a
 * receipt too late, a broadcast lost before or after the node — is resolved later from the one
 * transaction recorded before it was sent.
 */
@QuarkusTest
@TestProfile(OnChainSettlementTest.LocalChain.class)
class OnChainSettlementTest {

    public static class LocalChain implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LocalChainResource.class));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USDC = Asset.BASE_SEPOLIA_USDC.address();
    /** Anvil's first dev account, unlocked on the node: it mints test USDC. */
    private static final String MINTER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    private static final long PRICE = 10000; // echo-paid

    @ConfigProperty(name = "purser.chain-rpc-url")
    Optional<String> rpcUrl;

    @ConfigProperty(name = "purser.data-dir")
    String dataDir;

    @ConfigProperty(name = LocalChainResource.SKIPPED)
    Optional<String> skipped;

    @Inject
    EmbeddedFacilitator facilitator;

    private Anvil chain;
    private Address operator;
    private final Rpc a2a = Rpc.v03();

    @BeforeEach
    void connect() {
        Assumptions.assumeTrue(skipped.isEmpty(), () -> skipped.orElseThrow());
        chain = Anvil.connect(rpcUrl.get());
        operator = ServerKey.loadOrCreate(Path.of(dataDir), EmbeddedFacilitator.OPERATOR_KEY_FILE).address();
    }

    // ---- the tests ------------------------------------------------------------------------------

    @Test
    void aPaidTaskSettlesOnChainOnceAndItsReceiptNamesTheTransaction() throws Exception {
        Payer payer = Payer.fresh();
        mint(payer.address(), 1_000_000);
        JsonPath asked = askForEchoPaid("paid on chain");
        ObjectNode requirement = JSON.valueToTree(
                asked.getMap("result.status.message.metadata.'x402.payment.required'.accepts[0]"));
        Address payee = Address.of(requirement.get("payTo").asText());
        assertEquals(operator, payee, "by default the operator is paid");
        BigInteger payeeBefore = balanceOf(payee);
        BigInteger operatorNonce = nonce(operator, "latest");

        ObjectNode payment = sign(requirement, payer);
        JsonPath done = pay(asked.getString("result.id"), payment);
        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        JsonNode receipt = JSON.valueToTree(
                done.getList("result.status.message.metadata.'x402.payment.receipts'").get(0));
        assertTrue(receipt.get("success").asBoolean(), receipt::toString);
        assertTrue(receipt.get("extensions").get("purser").get("onChain").asBoolean());
        assertEquals("eip155:84532", receipt.get("network").asText());
        assertEquals(payer.address().checksummed(), receipt.get("payer").asText());
        assertEquals(Long.toString(PRICE), receipt.get("amount").asText());

        String tx = receipt.get("transaction").asText();
        assertTrue(Hex.isHex(tx, 32), tx);
        JsonNode mined = chain.rpc("eth_getTransactionReceipt", tx);
        assertEquals("0x1", mined.get("status").asText());
        assertEquals(operator.lowerHex(), mined.get("from").asText().toLowerCase());
        assertEquals(USDC.toLowerCase(), mined.get("to").asText().toLowerCase());
        assertEquals(BigInteger.valueOf(1_000_000 - PRICE), balanceOf(payer.address()));
        assertEquals(payeeBefore.add(BigInteger.valueOf(PRICE)), balanceOf(payee));
        assertEquals(operatorNonce.add(BigInteger.ONE), nonce(operator, "latest"), "one transaction");
        assertTrue(authorizationUsed(payer.address(), payment));

        // the same payload settled again: the stored answer, nothing sent, nothing moved
        JsonNode again = JSON.readTree(settle(payment, requirement).then().statusCode(200).extract().asString());
        assertEquals(receipt, again);
        assertEquals(operatorNonce.add(BigInteger.ONE), nonce(operator, "pending"));
        assertEquals(payeeBefore.add(BigInteger.valueOf(PRICE)), balanceOf(payee));
    }

    @Test
    void aPayerWithoutFundsIsRefusedAndNothingIsSent() throws Exception {
        Payer payer = Payer.fresh();
        mint(payer.address(), PRICE - 1);
        ObjectNode requirement = requirement(Secp256k1Key.generate(new SecureRandom()).address());
        ObjectNode payment = sign(requirement, payer);
        BigInteger operatorNonce = nonce(operator, "pending");

        JsonPath verified = JsonPath.from(post("verify", payment, requirement).then().statusCode(200)
                .extract().asString());
        assertFalse(verified.getBoolean("isValid"));
        assertEquals("insufficient_funds", verified.getString("invalidReason"));

        JsonPath settled = JsonPath.from(settle(payment, requirement).then().statusCode(200).extract().asString());
        assertFalse(settled.getBoolean("success"));
        assertEquals("insufficient_funds", settled.getString("errorReason"));
        assertEquals("", settled.getString("transaction"));
        assertEquals(operatorNonce, nonce(operator, "pending"), "no transaction was sent");
        assertEquals(BigInteger.valueOf(PRICE - 1), balanceOf(payer.address()));
        assertFalse(authorizationUsed(payer.address(), payment));
    }

    @Test
    void anOutcomeNotKnownInTimeStaysPendingAndResolvesFromTheOneTransactionSent() throws Exception {
        Payer payer = Payer.fresh();
        mint(payer.address(), PRICE);
        Address payee = Secp256k1Key.generate(new SecureRandom()).address();
        ObjectNode requirement = requirement(payee);
        ObjectNode payment = sign(requirement, payer);
        BigInteger operatorNonce = nonce(operator, "latest");

        chain.rpc("evm_setAutomine", false); // blocks only when the test mines one
        String firstAnswer;
        try {
            Response first = settle(payment, requirement);
            assertEquals(503, first.statusCode(), first::asString);
            assertEquals("settlement_unknown", first.jsonPath().getString("error"));
            firstAnswer = first.jsonPath().getString("message");
            assertEquals(operatorNonce.add(BigInteger.ONE), nonce(operator, "pending"), "sent once");

            // asked again while it is still in the pool: still unknown, and still one transaction
            Response second = settle(payment, requirement);
            assertEquals(503, second.statusCode(), second::asString);
            assertEquals(operatorNonce.add(BigInteger.ONE), nonce(operator, "pending"));
            // the nonce is taken meanwhile: no second payload may use it
            assertFalse(JsonPath.from(post("verify", payment, requirement).asString()).getBoolean("isValid"));

            chain.rpc("evm_mine");
        } finally {
            chain.rpc("evm_setAutomine", true);
        }
        JsonPath resolved = JsonPath.from(settle(payment, requirement).then().statusCode(200).extract().asString());
        assertTrue(resolved.getBoolean("success"), resolved::prettify);
        String tx = resolved.getString("transaction");
        assertTrue(firstAnswer.contains(tx), "the transaction sent first is the one mined: " + firstAnswer);
        assertEquals("0x1", chain.rpc("eth_getTransactionReceipt", tx).get("status").asText());
        assertEquals(operatorNonce.add(BigInteger.ONE), nonce(operator, "latest"), "exactly one transaction");
        assertEquals(BigInteger.valueOf(PRICE), balanceOf(payee));
        assertEquals(BigInteger.ZERO, balanceOf(payer.address()));
    }

    @Test
    void aBroadcastLostBeforeTheNodeIsSentLaterAsTheSameRecordedTransaction() throws Exception {
        Payer payer = Payer.fresh();
        mint(payer.address(), PRICE);
        Address payee = Secp256k1Key.generate(new SecureRandom()).address();
        ObjectNode requirement = requirement(payee);
        ObjectNode payment = sign(requirement, payer);
        BigInteger operatorNonce = nonce(operator, "latest");

        chain.rpc(ChainProxy.ARM, "before"); // as if Purser died between recording and sending
        Response first = settle(payment, requirement);
        assertEquals(503, first.statusCode(), first::asString);
        String recorded = transactionIn(first.jsonPath().getString("message"));
        assertEquals(operatorNonce, nonce(operator, "pending"), "nothing reached the node");
        assertEquals(BigInteger.ZERO, balanceOf(payee));

        facilitator.reconcilePending(ChainReconciler.BATCH, Duration.ZERO);

        JsonPath settled = JsonPath.from(settle(payment, requirement).then().statusCode(200).extract().asString());
        assertTrue(settled.getBoolean("success"), settled::prettify);
        assertEquals(recorded, settled.getString("transaction"), "the recorded bytes, sent once");
        assertEquals("0x1", chain.rpc("eth_getTransactionReceipt", recorded).get("status").asText());
        assertEquals(operatorNonce.add(BigInteger.ONE), nonce(operator, "latest"), "exactly one transaction");
        assertEquals(BigInteger.valueOf(PRICE), balanceOf(payee));
        assertEquals(BigInteger.ZERO, balanceOf(payer.address()));
    }

    @Test
    void aBroadcastWhoseAnswerIsLostIsNeverSentTwice() throws Exception {
        Payer payer = Payer.fresh();
        mint(payer.address(), 2 * PRICE); // enough for a second transfer, were one sent
        Address payee = Secp256k1Key.generate(new SecureRandom()).address();
        ObjectNode requirement = requirement(payee);
        ObjectNode payment = sign(requirement, payer);
        BigInteger operatorNonce = nonce(operator, "latest");

        chain.rpc(ChainProxy.ARM, "after"); // the node has it; Purser never hears back
        Response first = settle(payment, requirement);
        assertEquals(503, first.statusCode(), first::asString);
        String recorded = transactionIn(first.jsonPath().getString("message"));

        // the client retries: the answer comes from the recorded transaction's receipt
        JsonPath settled = JsonPath.from(settle(payment, requirement).then().statusCode(200).extract().asString());
        assertTrue(settled.getBoolean("success"), settled::prettify);
        assertEquals(recorded, settled.getString("transaction"));
        facilitator.reconcilePending(ChainReconciler.BATCH, Duration.ZERO);
        JsonNode again = JSON.readTree(settle(payment, requirement).then().statusCode(200).extract().asString());
        assertEquals(recorded, again.get("transaction").asText());
        assertEquals(operatorNonce.add(BigInteger.ONE), nonce(operator, "pending"), "exactly one transaction");
        assertEquals(BigInteger.valueOf(PRICE), balanceOf(payee));
        assertEquals(BigInteger.valueOf(PRICE), balanceOf(payer.address()));
    }

    @Test
    void aRecordedTransactionWhoseNonceWasTakenIsReplacedByTheSameCall() throws Exception {
        Payer first = Payer.fresh();
        Payer second = Payer.fresh();
        mint(first.address(), PRICE);
        mint(second.address(), PRICE);
        Address firstPayee = Secp256k1Key.generate(new SecureRandom()).address();
        Address secondPayee = Secp256k1Key.generate(new SecureRandom()).address();
        ObjectNode firstRequirement = requirement(firstPayee);
        ObjectNode firstPayment = sign(firstRequirement, first);
        BigInteger operatorNonce = nonce(operator, "latest");

        chain.rpc(ChainProxy.ARM, "before");
        Response lost = settle(firstPayment, firstRequirement);
        assertEquals(503, lost.statusCode(), lost::asString);
        String recorded = transactionIn(lost.jsonPath().getString("message"));
        // the next settlement takes the operator nonce the lost transaction was signed with
        ObjectNode secondRequirement = requirement(secondPayee);
        JsonPath other = JsonPath.from(settle(sign(secondRequirement, second), secondRequirement)
                .then().statusCode(200).extract().asString());
        assertTrue(other.getBoolean("success"), other::prettify);
        assertEquals(operatorNonce.add(BigInteger.ONE), nonce(operator, "latest"));

        facilitator.reconcilePending(ChainReconciler.BATCH, Duration.ZERO);

        JsonPath settled = JsonPath.from(settle(firstPayment, firstRequirement).then().statusCode(200)
                .extract().asString());
        assertTrue(settled.getBoolean("success"), settled::prettify);
        String replacement = settled.getString("transaction");
        assertNotEquals(recorded, replacement, "the superseded transaction can never be mined");
        assertTrue(chain.rpc("eth_getTransactionReceipt", recorded).isNull());
        assertEquals("0x1", chain.rpc("eth_getTransactionReceipt", replacement).get("status").asText());
        assertEquals(operatorNonce.add(BigInteger.TWO), nonce(operator, "latest"), "one transaction each");
        assertEquals(BigInteger.valueOf(PRICE), balanceOf(firstPayee));
        assertEquals(BigInteger.valueOf(PRICE), balanceOf(secondPayee));
    }

    // ---- Purser ---------------------------------------------------------------------------------

    private JsonPath askForEchoPaid(String text) {
        Map<String, Object> m = new HashMap<>(a2a.textMessage(text));
        m.put("metadata", Map.of("purser.skill", "echo-paid"));
        return a2a.call("message/send", Map.of("message", m));
    }

    private JsonPath pay(String taskId, ObjectNode payload) {
        Map<String, Object> m = new HashMap<>(a2a.textMessage("here is the payment"));
        m.put("taskId", taskId);
        m.put("metadata", Map.of("x402.payment.status", "payment-submitted",
                "x402.payment.payload", JSON.convertValue(payload, Map.class)));
        return a2a.call("message/send", Map.of("message", m));
    }

    private static ObjectNode requirement(Address payTo) {
        return new PaymentRequirement(Asset.BASE_SEPOLIA_USDC, PRICE, payTo, 120,
                "https://purser.test/skills/echo-paid", "echo-paid").toJson(2);
    }

    private static Response settle(ObjectNode payment, ObjectNode requirement) {
        return post("settle", payment, requirement);
    }

    private static Response post(String path, ObjectNode payment, ObjectNode requirement) {
        ObjectNode b = JSON.createObjectNode();
        b.put("x402Version", 2);
        b.set("paymentPayload", payment);
        b.set("paymentRequirements", requirement);
        return given().contentType("application/json").body(b.toString()).post("/facilitator/" + path);
    }

    /** A payer's key, kept as hex for viem, which signs its payments (not Purser's own code). */
    private record Payer(String keyHex, Address address) {

        static Payer fresh() {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String hex = Hex.encode(key);
            return new Payer(hex, Secp256k1Key.fromHex(hex).address());
        }
    }

    /** An x402 v2 payment for {@code requirement}, signed by viem with {@code payer}'s key. */
    private static ObjectNode sign(ObjectNode requirement, Payer payer) throws Exception {
        return (ObjectNode) JSON.readTree(NodePeers.run("x402/sign-payment.mjs", requirement.toString(),
                payer.keyHex()));
    }

    private static String transactionIn(String message) {
        Matcher m = Pattern.compile("0x[0-9a-f]{64}").matcher(message);
        assertTrue(m.find(), "the answer names the recorded transaction: " + message);
        return m.group();
    }

    // ---- the chain, read directly -----------------------------------------------------------------

    private BigInteger balanceOf(Address account) {
        return word(call(Eip3009Abi.balanceOf(account)));
    }

    private boolean authorizationUsed(Address payer, ObjectNode payment) {
        return word(call(Eip3009Abi.authorizationState(payer, dev.purser.crypto.Bytes32.fromHex(
                payment.at("/payload/authorization/nonce").asText())))).signum() == 1;
    }

    private String call(byte[] data) {
        ObjectNode c = JSON.createObjectNode();
        c.put("to", USDC);
        c.put("data", Hex.encode(data));
        return chain.rpc("eth_call", c, "latest").asText();
    }

    private BigInteger nonce(Address account, String block) {
        return new BigInteger(chain.rpc("eth_getTransactionCount", account.lowerHex(), block).asText().substring(2), 16);
    }

    /** Mints test USDC from anvil's unlocked dev account. */
    private void mint(Address to, long amount) {
        String data = Hex.encode(java.util.Arrays.copyOf(Keccak256.hash("mint(address,uint256)").bytes(), 4))
                + "0".repeat(24) + to.lowerHex().substring(2) + String.format("%064x", amount);
        ObjectNode tx = JSON.createObjectNode();
        tx.put("from", MINTER);
        tx.put("to", USDC);
        tx.put("data", data);
        String hash = chain.rpc("eth_sendTransaction", tx).asText();
        assertEquals("0x1", minedReceipt(hash).get("status").asText());
    }

    /** Automine answers eth_sendTransaction before the block is sealed; wait for it, briefly. */
    private JsonNode minedReceipt(String hash) {
        for (int i = 0; i < 100; i++) {
            JsonNode r = chain.rpc("eth_getTransactionReceipt", hash);
            if (r != null && !r.isNull()) {
                return r;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no receipt for " + hash);
    }

    private static BigInteger word(String hex) {
        assertEquals(66, hex.length(), "one ABI word: " + hex);
        return new BigInteger(hex.substring(2), 16);
    }
}
