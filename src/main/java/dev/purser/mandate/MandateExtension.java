package dev.purser.mandate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.TypedDataSchema;

/**
 * The params of Purser's spending-mandate extension in the agent card (DESIGN §2, ap2.md §4):
 * the EIP-712 domain and every type signed in it, so that a client can sign a mandate, a
 * revocation or a draw, and check a receipt, with viem or ethers alone. Built from
 * {@link PurserTypes}, the same definitions the verifier hashes with; {@code
 * mandate-schemas/types.json} is this document for the default chain, and a test keeps the two
 * equal.
 */
public final class MandateExtension {

    /** The extension's URI; versioned per A2A extension rules. */
    public static final String URI = "https://purser.dev/ext/spending-mandate/v1";

    /** AP2's A2A extension, as AP2's sample agents declare it (spec/ap2.md §1.3). */
    public static final String AP2_URI = "https://github.com/google-agentic-commerce/ap2/v1";

    public static final String REGISTER_PATH = "/api/a2a/mandates";

    /** The message metadata key that names a task's envelope (DESIGN §3). */
    public static final String MESSAGE_METADATA_KEY = "purser.mandate_id";

    private MandateExtension() {
    }

    /**
     * The params for the settlement chain {@code chainId}. The card adds {@code receiptSigner},
     * the server key's address, which is known only at run time.
     */
    public static ObjectNode params(long chainId) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode params = f.objectNode();
        params.put("primaryType", PurserTypes.SPENDING_MANDATE.primaryType());
        params.set("domain", PurserTypes.mandateDomain(chainId));
        ObjectNode types = params.putObject("types");
        for (TypedDataSchema schema : PurserTypes.MANDATE_DOMAIN_SCHEMAS) {
            types.setAll((ObjectNode) schema.types().toJson());
        }
        params.put("register", REGISTER_PATH);
        params.put("inspect", REGISTER_PATH + "/{id}");
        params.put("revoke", REGISTER_PATH + "/{id}/revoke");
        params.put("use", REGISTER_PATH + "/{id}/use");
        params.put("keys", REGISTER_PATH + "/{id}/keys");
        params.put("policy", REGISTER_PATH + "/{id}/policy");
        params.put("messageMetadataKey", MESSAGE_METADATA_KEY);
        // Where a payment under an AP2 mandate carries its chain (Ap2Payments).
        params.put("ap2ChainMetadataKey", Ap2Payments.CHAIN_KEY);
        params.put("schemas", "https://purser.dev/mandate-schemas/");
        return params;
    }
}
