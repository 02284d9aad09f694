package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import dev.purser.crypto.SignedTransaction;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The few Ethereum JSON-RPC methods settlement needs, over {@code java.net.http} and Jackson: no
 * client library, so nothing but these calls can reach the node. Every call has a timeout; results
 * are parsed strictly (a quantity is {@code 0x} hex without leading zeros, data is even-length hex).
 */
public final class EvmRpc {

    /** A mined transaction's outcome, and its logs (settlement looks for {@code AuthorizationUsed}). */
    public record Receipt(Bytes32 transactionHash, boolean succeeded, BigInteger blockNumber,
            List<Log> logs) {

        public Receipt {
            logs = List.copyOf(logs);
        }
    }

    public record Log(Address address, List<Bytes32> topics) {

        public Log {
            topics = List.copyOf(topics);
        }
    }

    /** The latest block's number, time and base fee (absent on a chain without EIP-1559). */
    public record Block(BigInteger number, long timestampSeconds, Optional<BigInteger> baseFeePerGas) {
    }

    private final URI url;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();

    public EvmRpc(URI url, ObjectMapper json, Duration timeout) {
        this.url = url;
        this.json = json;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public long chainId() throws EvmRpcException {
        return quantity(call("eth_chainId"), "chain id").longValueExact();
    }

    /** The next nonce for {@code account}, counting its transactions still in the pool. */
    public BigInteger pendingNonce(Address account) throws EvmRpcException {
        return quantity(call("eth_getTransactionCount", account.lowerHex(), "pending"), "nonce");
    }

    /** The nonce after {@code account}'s last mined transaction: how many it has had mined. */
    public BigInteger minedNonce(Address account) throws EvmRpcException {
        return quantity(call("eth_getTransactionCount", account.lowerHex(), "latest"), "nonce");
    }

    public BigInteger gasPrice() throws EvmRpcException {
        return quantity(call("eth_gasPrice"), "gas price");
    }

    public BigInteger maxPriorityFeePerGas() throws EvmRpcException {
        return quantity(call("eth_maxPriorityFeePerGas"), "priority fee");
    }

    public Block latestBlock() throws EvmRpcException {
        JsonNode b = call("eth_getBlockByNumber", "latest", false);
        if (!b.isObject()) {
            throw EvmRpcException.noAnswer("the node has no latest block", null);
        }
        JsonNode base = b.get("baseFeePerGas");
        Optional<BigInteger> baseFee = base == null || base.isNull() ? Optional.empty()
                : Optional.of(quantity(base, "base fee"));
        return new Block(quantity(b.get("number"), "block number"),
                quantity(b.get("timestamp"), "block time").longValueExact(), baseFee);
    }

    /** Gas for a call; a call that would revert is the node's answer ({@link EvmRpcException#answered}). */
    public BigInteger estimateGas(Address from, Address to, byte[] data) throws EvmRpcException {
        return quantity(call("eth_estimateGas", callObject(from, to, data)), "gas estimate");
    }

    /** {@code eth_call} at the latest block: the raw return data. */
    public byte[] call(Address to, byte[] data) throws EvmRpcException {
        return bytes(call("eth_call", callObject(null, to, data), "latest"), "call result");
    }

    /** Broadcasts; the node's answer is the hash, which must be the one we computed. */
    public Bytes32 sendRawTransaction(SignedTransaction tx) throws EvmRpcException {
        Bytes32 hash = hash(call("eth_sendRawTransaction", tx.rawHex()), "transaction hash");
        if (!hash.equals(tx.hash())) {
            throw EvmRpcException.noAnswer("the node named the transaction " + hash + ", not " + tx.hash(), null);
        }
        return hash;
    }

    /** The receipt, or empty while the transaction is not mined (or unknown to the node). */
    public Optional<Receipt> receipt(Bytes32 transactionHash) throws EvmRpcException {
        JsonNode r = call("eth_getTransactionReceipt", transactionHash.hex());
        if (r.isNull()) {
            return Optional.empty();
        }
        List<Log> logs = new ArrayList<>();
        for (JsonNode l : r.path("logs")) {
            List<Bytes32> topics = new ArrayList<>();
            for (JsonNode t : l.path("topics")) {
                topics.add(hash(t, "log topic"));
            }
            logs.add(new Log(address(l.get("address")), topics));
        }
        BigInteger status = quantity(r.get("status"), "receipt status");
        return Optional.of(new Receipt(hash(r.get("transactionHash"), "transaction hash"),
                status.equals(BigInteger.ONE), quantity(r.get("blockNumber"), "block number"), logs));
    }

    // ---- JSON-RPC ------------------------------------------------------------------------------

    private ObjectNode callObject(Address from, Address to, byte[] data) {
        ObjectNode o = json.createObjectNode();
        if (from != null) {
            o.put("from", from.lowerHex());
        }
        o.put("to", to.lowerHex());
        o.put("data", Hex.encode(data));
        return o;
    }

    private JsonNode call(String method, Object... params) throws EvmRpcException {
        ObjectNode request = json.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", ids.incrementAndGet());
        request.put("method", method);
        ArrayNode p = request.putArray("params");
        for (Object param : params) {
            p.add(json.valueToTree(param));
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(request))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw EvmRpcException.noAnswer(method + ": the node did not answer within " + timeout, e);
        } catch (IOException e) {
            throw EvmRpcException.noAnswer(method + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EvmRpcException.noAnswer(method + ": interrupted", e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw EvmRpcException.noAnswer(method + ": HTTP " + response.statusCode() + " without JSON", e);
        }
        JsonNode error = body == null ? null : body.get("error");
        if (error != null && error.isObject()) {
            throw EvmRpcException.answer(error.path("code").asLong(),
                    method + ": " + error.path("message").asText("error") + dataSuffix(error));
        }
        if (body == null || !body.has("result")) {
            throw EvmRpcException.noAnswer(method + ": HTTP " + response.statusCode() + ", no result", null);
        }
        return body.get("result");
    }

    private static String dataSuffix(JsonNode error) {
        JsonNode data = error.get("data");
        return data == null || data.isNull() ? "" : " (" + data + ")";
    }

    // ---- strict result parsing ------------------------------------------------------------------

    private static BigInteger quantity(JsonNode n, String what) throws EvmRpcException {
        String s = n == null ? null : n.asText(null);
        if (s == null || !s.matches("0x(0|[1-9a-fA-F][0-9a-fA-F]{0,63})")) {
            throw EvmRpcException.noAnswer("the node's " + what + " is not a quantity: " + s, null);
        }
        return new BigInteger(s.substring(2), 16);
    }

    private static byte[] bytes(JsonNode n, String what) throws EvmRpcException {
        try {
            return Hex.decode(n == null ? null : n.asText(null));
        } catch (IllegalArgumentException e) {
            throw EvmRpcException.noAnswer("the node's " + what + " is not hex data", e);
        }
    }

    private static Bytes32 hash(JsonNode n, String what) throws EvmRpcException {
        String s = n == null ? null : n.asText(null);
        if (!Hex.isHex(s, 32)) {
            throw EvmRpcException.noAnswer("the node's " + what + " is not 32 bytes of hex: " + s, null);
        }
        return Bytes32.fromHex(s);
    }

    private static Address address(JsonNode n) throws EvmRpcException {
        String s = n == null ? null : n.asText(null);
        if (!Hex.isHex(s, 20)) {
            throw EvmRpcException.noAnswer("the node's log address is not an address: " + s, null);
        }
        return Address.fromBytes(Hex.decode(s));
    }
}
