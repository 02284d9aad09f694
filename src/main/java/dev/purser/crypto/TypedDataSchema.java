package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One kind of typed data: a primary struct type with the types it needs, including its
 * {@code EIP712Domain}. The form in which Purser's signed documents are fixed, published in the
 * agent card and hashed.
 *
 * @param primaryType the struct that messages of this kind are instances of
 * @param types the primary type, every struct it refers to, and {@code EIP712Domain}
 */
public record TypedDataSchema(String primaryType, Eip712Types types) {

    public TypedDataSchema {
        if (primaryType == null || types == null || types.fields(primaryType).isEmpty()) {
            throw new InvalidTypedDataException("the primary type must be among the types");
        }
        if (types.fields(TypedData.DOMAIN_TYPE).isEmpty()) {
            throw new InvalidTypedDataException("types must define " + TypedData.DOMAIN_TYPE);
        }
    }

    public String encodeType() {
        return types.encodeType(primaryType);
    }

    public Bytes32 typeHash() {
        return types.typeHash(primaryType);
    }

    /** A document of this kind; encoding errors surface when it is hashed. */
    public TypedData typedData(JsonNode domain, JsonNode message) {
        return new TypedData(types, primaryType, domain, message);
    }

    /**
     * {@code {"primaryType": …, "types": {…}}}: what a client needs, with a domain, to sign a
     * message of this kind with viem's {@code signTypedData} or ethers' {@code signTypedData}.
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("primaryType", primaryType);
        json.set("types", types.toJson());
        return json;
    }
}
