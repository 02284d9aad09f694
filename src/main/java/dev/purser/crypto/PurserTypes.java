package dev.purser.crypto;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.money.Asset;
import java.util.List;

/**
 * The EIP-712 types Purser signs and verifies (DESIGN §4 and §8), fixed here once so that the
 * verifier, the receipt signer and the agent card can never disagree about a member or its order:
 * any change to a type changes its typeHash and so every id and signature over it.
 */
public final class PurserTypes {

    public static final String MANDATE_DOMAIN_NAME = "Purser Mandate";

    public static final String MANDATE_DOMAIN_VERSION = "1";

    /**
     * No {@code verifyingContract}: mandates are checked by Purser, not by a contract, so the
     * domain is exactly name, version, chainId (ap2.md §4, step 2).
     */
    private static final String MANDATE_DOMAIN =
            "EIP712Domain(string name,string version,uint256 chainId)";

    private static final String TOKEN_DOMAIN = "EIP712Domain(string name,string version,"
            + "uint256 chainId,address verifyingContract)";

    /** A principal's signed budget for an agent; its digest is the mandate id. */
    public static final TypedDataSchema SPENDING_MANDATE = schema(MANDATE_DOMAIN,
            "SpendingMandate(address principal,address agent,address asset,uint256 budget,"
                    + "uint256 perTaskMax,string[] skills,uint64 notBefore,uint64 expiresAt,"
                    + "bytes32 parent,bytes32 nonce)");

    /** A principal's revocation of a mandate (and so of its children). */
    public static final TypedDataSchema REVOKE_MANDATE = schema(MANDATE_DOMAIN,
            "RevokeMandate(bytes32 mandateId,uint64 revokedAt)");

    /** An agent's direct draw on its mandate, outside a task. */
    public static final TypedDataSchema DRAW = schema(MANDATE_DOMAIN,
            "Draw(bytes32 mandateId,uint256 amount,bytes32 idempotencyKey,string memo,"
                    + "uint64 deadline)");

    /**
     * An agent's grant of a session key on its mandate (DESIGN §11): the bearer secret Purser
     * mints for it speaks for the agent on {@code /v1} until {@code expiresAt} or revocation.
     */
    public static final TypedDataSchema SESSION_KEY = schema(MANDATE_DOMAIN,
            "SessionKey(bytes32 mandate,string label,uint64 expiresAt,bytes32 nonce)");

    /**
     * A principal's policy for its mandate's envelope (DESIGN §4): daily cap, tighter guards,
     * soft-limit thresholds (percent) and notice webhook; the latest {@code issuedAt} holds.
     */
    public static final TypedDataSchema ENVELOPE_POLICY = schema(MANDATE_DOMAIN,
            "EnvelopePolicy(bytes32 mandate,uint256 dailyMax,uint32 ratePerMinute,"
                    + "uint32 concurrency,uint32 loopPerMinute,uint16[] softLimits,"
                    + "string webhook,uint64 issuedAt)");

    /** The server's receipt for a capture, binding it to its journal entry. */
    public static final TypedDataSchema RECEIPT = schema(MANDATE_DOMAIN,
            "Receipt(bytes32 mandateId,uint256 amount,bytes32 idempotencyKey,bytes32 entryHash,"
                    + "uint64 issuedAt)");

    /** EIP-3009 as USDC defines it; signed in the token's domain, see {@link #tokenDomain}. */
    public static final TypedDataSchema TRANSFER_WITH_AUTHORIZATION = schema(TOKEN_DOMAIN,
            "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
                    + "uint256 validBefore,bytes32 nonce)");

    /** The kinds signed in the Purser Mandate domain, as the card publishes them. */
    public static final List<TypedDataSchema> MANDATE_DOMAIN_SCHEMAS =
            List.of(SPENDING_MANDATE, REVOKE_MANDATE, DRAW, RECEIPT, SESSION_KEY,
                    ENVELOPE_POLICY);

    private PurserTypes() {
    }

    /** {@code {name:"Purser Mandate", version:"1", chainId}} for the settlement chain. */
    public static ObjectNode mandateDomain(long chainId) {
        return JsonNodeFactory.instance.objectNode()
                .put("name", MANDATE_DOMAIN_NAME)
                .put("version", MANDATE_DOMAIN_VERSION)
                .put("chainId", chainId);
    }

    /** The token's own EIP-3009 domain, the one its contract verifies against. */
    public static ObjectNode tokenDomain(String name, String version, long chainId,
            Address verifyingContract) {
        return JsonNodeFactory.instance.objectNode()
                .put("name", name)
                .put("version", version)
                .put("chainId", chainId)
                .put("verifyingContract", verifyingContract.checksummed());
    }

    public static ObjectNode tokenDomain(Asset asset) {
        return tokenDomain(asset.eip712Name(), asset.eip712Version(), asset.chainId(),
                Address.of(asset.address()));
    }

    private static TypedDataSchema schema(String domain, String primary) {
        Eip712Types types = Eip712Types.of(domain, primary);
        return new TypedDataSchema(primary.substring(0, primary.indexOf('(')), types);
    }
}
