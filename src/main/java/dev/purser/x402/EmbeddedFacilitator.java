package dev.purser.x402;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Jcs;
import dev.purser.crypto.ServerKey;
import dev.purser.crypto.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Purser's own facilitator: verifies as a remote one would (every local rule, plus the nonce
 * against what it has settled), and settles exactly once per authorization. Without a chain node
 * the settlement is recorded here only, and its answer says so ({@code transaction} is
 * {@code ledger:<nonce>}, {@code extensions.purser.onChain} false). With
 * {@code PURSER_CHAIN_RPC_URL} it also checks the chain (nonce unused, balance) and settles there,
 * the operator key paying the gas ({@link ChainSettlement}).
 */
// Typed: injected by its class; the Facilitator to use is produced by configuration.
@ApplicationScoped
@jakarta.enterprise.inject.Typed(EmbeddedFacilitator.class)
public class EmbeddedFacilitator implements Facilitator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The operator's wallet key in PURSER_DATA_DIR: the default payee, and the payer of gas. */
    public static final String OPERATOR_KEY_FILE = "operator-key.hex";

    private final DataSource db;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final Optional<ChainSettlement> chain;

    public EmbeddedFacilitator(DataSource db, ObjectMapper json, X402Config config) {
        this.db = db;
        this.json = json;
        this.chain = config.chainRpcUrl().filter(url -> !url.isBlank()).map(url -> new ChainSettlement(db,
                json, new EvmRpc(URI.create(url), json, RPC_TIMEOUT),
                ServerKey.loadOrCreate(Path.of(config.dataDir()), OPERATOR_KEY_FILE),
                Duration.ofSeconds(config.chainReceiptTimeoutSeconds())));
    }

    /** One JSON-RPC call to the chain node; the receipt wait has its own, longer bound. */
    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public ObjectNode verify(JsonNode paymentPayload, JsonNode paymentRequirements) {
        return verified(check(paymentPayload, paymentRequirements));
    }

    /** In process: the caller's recovered signer stands; the other rules run again. */
    @Override
    public ObjectNode verify(CheckedPayment p) {
        return verified(recheck(p));
    }

    private ObjectNode verified(Checked c) {
        if (c.refusal != null) {
            return invalid(c.refusal, c.payerHint);
        }
        if (findSettled(c).isPresent()) {
            return invalid(PaymentRefusal.of("invalid_exact_evm_nonce_already_used",
                    X402Error.DUPLICATE_NONCE, "nonce already used"), c.valid.payer().checksummed());
        }
        if (chain.isPresent()) {
            try {
                Optional<PaymentRefusal> refused = chain.get().checkOnChain(c.offer, c.payload);
                if (refused.isPresent()) {
                    return invalid(refused.get(), c.valid.payer().checksummed());
                }
            } catch (EvmRpcException e) {
                return invalid(PaymentRefusal.of("unexpected_verify_error", X402Error.SETTLEMENT_FAILED,
                        "the chain node could not be asked: " + e.getMessage()), c.valid.payer().checksummed());
            }
        }
        ObjectNode o = F.objectNode();
        o.put("isValid", true);
        o.put("payer", c.valid.payer().checksummed());
        return o;
    }

    @Override
    public SettleOutcome settle(JsonNode paymentPayload, JsonNode paymentRequirements) {
        Checked c = check(paymentPayload, paymentRequirements);
        String hash = c.payload == null ? null : Sha256.hash(Jcs.canonicalBytes(paymentPayload)).hex();
        return settled(c, paymentPayload, hash);
    }

    /** In process: the caller's signer and payload hash stand; the other rules run again. */
    @Override
    public SettleOutcome settle(CheckedPayment p) {
        return settled(recheck(p), p.payloadJson(), p.payloadHash());
    }

    /** Without a chain node a settlement is one row here, which a caller's transaction may hold. */
    @Override
    public boolean settlesInDatabase() {
        return chain.isEmpty();
    }

    @Override
    public SettleOutcome settle(Connection conn, CheckedPayment p) throws SQLException {
        if (chain.isPresent()) {
            throw new UnsupportedOperationException("a chain settlement is not a database row");
        }
        Checked c = recheck(p);
        return c.refusal != null ? refusedSettle(c, p.payloadJson())
                : record(conn, c, p.payloadHash());
    }

    private SettleOutcome settled(Checked c, JsonNode paymentPayload, String hash) {
        if (chain.isPresent() && c.offer != null && c.payload != null) {
            // before re-verifying: an authorization expired since may already have moved the money
            Optional<SettleOutcome> before = chain.get().settledBefore(c.offer, c.payload, hash);
            if (before.isPresent()) {
                return before.get();
            }
        }
        if (c.refusal != null) {
            return refusedSettle(c, paymentPayload);
        }
        if (chain.isPresent()) {
            return chain.get().settle(c.offer, c.payload, c.valid, hash);
        }
        try (Connection conn = db.getConnection()) {
            return record(conn, c, hash);
        } catch (SQLException e) {
            return new SettleOutcome.Unknown("could not record the settlement: " + e.getMessage());
        }
    }

    private static SettleOutcome refusedSettle(Checked c, JsonNode paymentPayload) {
        String network = X402Network.toCaip2(paymentPayload.path("network").asText(null))
                .or(() -> X402Network.toCaip2(paymentPayload.path("accepted").path("network").asText(null)))
                .orElse("");
        ObjectNode r = settleResponse(false, c.refusal.reason(), "", network, c.payerHint);
        return new SettleOutcome.Failed(r, c.refusal.reason());
    }

    /**
     * Records a ledger-only settlement of the checked payment on {@code conn}, once per
     * authorization: the same payload again gets the same answer; another payload is a replay.
     */
    private SettleOutcome record(Connection conn, Checked c, String hash) throws SQLException {
        ObjectNode success = settleResponse(true, null, "ledger:" + c.payload.nonce().hex(),
                c.offer.asset().network(), c.valid.payer().checksummed());
        success.put("amount", Long.toString(c.offer.amount()));
        success.putObject("extensions").putObject("purser").put("onChain", false)
                .put("settlement", "recorded by Purser's embedded facilitator; no chain node configured");
        String sql = "insert into x402_settlement (chain_id, asset, payer, nonce, payload_hash, amount,"
                + " pay_to, status, response) values (?, ?, ?, ?, ?, ?, ?, 'settled', ?::json)"
                + " on conflict do nothing";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, c.offer.asset().chainId());
            ps.setString(2, c.offer.asset().address().toLowerCase(java.util.Locale.ROOT));
            ps.setString(3, c.valid.payer().toString());
            ps.setString(4, c.payload.nonce().hex());
            ps.setString(5, hash);
            ps.setLong(6, c.offer.amount());
            ps.setString(7, c.offer.payTo().toString());
            ps.setString(8, json.writeValueAsString(success));
            if (ps.executeUpdate() == 1) {
                return new SettleOutcome.Settled(success);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a settlement answer", e);
        }
        // Settled before: the same payload gets the same answer; another payload is a replay.
        Optional<Stored> prior = findSettled(conn, c);
        if (prior.isPresent() && prior.get().payloadHash.equals(hash)) {
            return new SettleOutcome.Settled(prior.get().response);
        }
        ObjectNode r = settleResponse(false, "invalid_exact_evm_nonce_already_used", "",
                c.offer.asset().network(), c.valid.payer().checksummed());
        return new SettleOutcome.Failed(r, "invalid_exact_evm_nonce_already_used");
    }

    /**
     * Resolves on-chain settlements left pending (see {@link ChainSettlement#reconcile}); with no
     * chain node there are none. Rows touched within {@code minAge} are left to the settle that
     * may be waiting on them. Returns how many ended.
     */
    int reconcilePending(int batch, Duration minAge) {
        return chain.map(c -> c.reconcile(batch, minAge)).orElse(0);
    }

    /**
     * Settling again is the lookup: this facilitator records every settlement by nonce and answers
     * a repeated settle from the record, so its failures are as definite as its successes.
     */
    @Override
    public SettleOutcome reconcile(JsonNode paymentPayload, JsonNode paymentRequirements) {
        return settle(paymentPayload, paymentRequirements);
    }

    @Override
    public ObjectNode supported() {
        ObjectNode o = F.objectNode();
        var kinds = o.putArray("kinds");
        for (String network : new String[] {"eip155:84532", "eip155:8453"}) {
            ObjectNode v2 = kinds.addObject();
            v2.put("x402Version", 2);
            v2.put("scheme", PaymentRequirement.SCHEME);
            v2.put("network", network);
            ObjectNode v1 = kinds.addObject();
            v1.put("x402Version", 1);
            v1.put("scheme", PaymentRequirement.SCHEME);
            v1.put("network", X402Network.toV1Name(network).orElseThrow());
        }
        o.putArray("extensions");
        o.putObject("signers");
        return o;
    }

    // ---- internals ------------------------------------------------------------------------------

    private static final class Checked {
        PaymentRequirement offer;
        PaymentPayload payload;
        Eip3009Verifier.Valid valid;
        PaymentRefusal refusal;
        String payerHint;
    }

    private Checked check(JsonNode paymentPayload, JsonNode paymentRequirements) {
        Checked c = new Checked();
        c.payerHint = paymentPayload == null ? null
                : paymentPayload.at("/payload/authorization/from").asText(null);
        Optional<PaymentRequirement> offer = PaymentRequirement.fromJson(paymentRequirements);
        if (offer.isEmpty()) {
            c.refusal = PaymentRefusal.of("invalid_payment_requirements", X402Error.INVALID_AMOUNT,
                    "paymentRequirements are malformed or name an unsupported asset");
            return c;
        }
        c.offer = offer.get();
        switch (PaymentPayload.parse(paymentPayload)) {
            case PaymentPayload.Refused r -> c.refusal = r.refusal();
            case PaymentPayload.Parsed p -> {
                c.payload = p.payload();
                switch (Eip3009Verifier.verify(p.payload(), c.offer, clock.instant())) {
                    case Eip3009Verifier.Invalid i -> c.refusal = i.refusal();
                    case Eip3009Verifier.Valid v -> c.valid = v;
                }
            }
        }
        return c;
    }

    /** {@link #check} of a payment checked in this process: its recovered signer stands. */
    private Checked recheck(CheckedPayment p) {
        Checked c = new Checked();
        c.payerHint = p.payloadJson().at("/payload/authorization/from").asText(null);
        c.offer = p.offer();
        c.payload = p.payload();
        switch (Eip3009Verifier.recheck(p.payload(), p.offer(), p.valid(), clock.instant())) {
            case Eip3009Verifier.Invalid i -> c.refusal = i.refusal();
            case Eip3009Verifier.Valid v -> c.valid = v;
        }
        return c;
    }

    private record Stored(String payloadHash, ObjectNode response) {
    }

    private Optional<Stored> findSettled(Checked c) {
        try (Connection conn = db.getConnection()) {
            return findSettled(conn, c);
        } catch (SQLException e) {
            throw new IllegalStateException("reading settlements", e);
        }
    }

    private Optional<Stored> findSettled(Connection conn, Checked c) throws SQLException {
        String sql = "select payload_hash, response::text from x402_settlement"
                + " where chain_id = ? and asset = ? and payer = ? and nonce = ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, c.offer.asset().chainId());
            ps.setString(2, c.offer.asset().address().toLowerCase(java.util.Locale.ROOT));
            ps.setString(3, c.payload.from().toString());
            ps.setString(4, c.payload.nonce().hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                // a pending (on-chain, outcome unknown) row has no answer yet, but its nonce is taken
                String response = rs.getString(2);
                return Optional.of(new Stored(rs.getString(1),
                        response == null ? null : (ObjectNode) json.readTree(response)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reading settlements", e);
        }
    }

    private static ObjectNode invalid(PaymentRefusal refusal, String payer) {
        ObjectNode o = F.objectNode();
        o.put("isValid", false);
        o.put("invalidReason", refusal.reason());
        o.put("invalidMessage", refusal.detail());
        if (payer != null) {
            o.put("payer", payer);
        }
        return o;
    }

    static ObjectNode settleResponse(boolean success, String errorReason, String transaction,
            String network, String payer) {
        ObjectNode o = F.objectNode();
        o.put("success", success);
        if (errorReason != null) {
            o.put("errorReason", errorReason);
        }
        o.put("transaction", transaction);
        o.put("network", network);
        if (payer != null) {
            o.put("payer", payer);
        }
        return o;
    }
}
