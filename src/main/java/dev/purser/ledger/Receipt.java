package dev.purser.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1;
import dev.purser.crypto.TypedData;

/**
 * The server's signed statement that a draw was captured (DESIGN §8): EIP-712
 * {@code Receipt(bytes32 mandateId,uint256 amount,bytes32 idempotencyKey,bytes32 entryHash,
 * uint64 issuedAt)} in the Purser Mandate domain. Anyone can check it offline with the signer
 * address the card publishes, see {@link #verify}.
 *
 * @param entryHash the hash of the journal's capture entry it stands for
 * @param issuedAt unix seconds
 * @param signature {@code 0x} + 65 bytes
 */
public record Receipt(Bytes32 mandateId, long amount, Bytes32 idempotencyKey, Bytes32 entryHash,
        long issuedAt, Address signer, String signature) {

    /** The EIP-712 message, as signed. */
    public ObjectNode message() {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("mandateId", mandateId.hex());
        message.put("amount", Long.toString(amount));
        message.put("idempotencyKey", idempotencyKey.hex());
        message.put("entryHash", entryHash.hex());
        message.put("issuedAt", issuedAt);
        return message;
    }

    public static TypedData typedData(ObjectNode message, long chainId) {
        return PurserTypes.RECEIPT.typedData(PurserTypes.mandateDomain(chainId), message);
    }

    /** Whether the signature over this receipt, in the domain of {@code chainId}, is by signer. */
    public boolean verify(long chainId, Address expectedSigner) {
        return signer.equals(expectedSigner)
                && Secp256k1.recover(typedData(message(), chainId).digest(), signature)
                        .isBy(expectedSigner);
    }

    /** The wire form: {@code mandateId, amount, idempotencyKey, entryHash, issuedAt, signer, signature}. */
    public ObjectNode toJson() {
        ObjectNode json = message();
        json.put("signer", signer.checksummed());
        json.put("signature", signature);
        return json;
    }

    /** Reads the wire form back (clients and tests). @throws IllegalArgumentException if malformed */
    public static Receipt fromJson(JsonNode json) {
        return new Receipt(Bytes32.fromHex(json.path("mandateId").asText()),
                Long.parseLong(json.path("amount").asText()),
                Bytes32.fromHex(json.path("idempotencyKey").asText()),
                Bytes32.fromHex(json.path("entryHash").asText()),
                json.path("issuedAt").asLong(), Address.of(json.path("signer").asText()),
                json.path("signature").asText());
    }
}
