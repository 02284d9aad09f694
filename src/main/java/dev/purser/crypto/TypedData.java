package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An EIP-712 typed-data document, as {@code eth_signTypedData_v4} takes it, and its digest: the
 * 32 bytes a wallet signs, and Purser's mandate id.
 *
 * @param types the struct types, including {@code EIP712Domain}
 * @param primaryType the struct {@code message} is an instance of
 * @param domain the {@code EIP712Domain} value
 * @param message the {@code primaryType} value
 */
public record TypedData(Eip712Types types, String primaryType, JsonNode domain,
        JsonNode message) {

    public static final String DOMAIN_TYPE = "EIP712Domain";

    /** The domain members EIP-712 defines, in the order wallets declare them. */
    private static final Map<String, String> DOMAIN_MEMBERS = orderedDomainMembers();

    public TypedData {
        if (types == null || primaryType == null || domain == null || message == null) {
            throw new InvalidTypedDataException("types, primaryType, domain, message are required");
        }
        if (types.fields(DOMAIN_TYPE).isEmpty()) {
            throw new InvalidTypedDataException("types must define " + DOMAIN_TYPE);
        }
        if (types.fields(primaryType).isEmpty()) {
            throw new InvalidTypedDataException("unknown primary type: " + primaryType);
        }
    }

    /**
     * Reads the {@code eth_signTypedData_v4} JSON shape. When {@code types} omits
     * {@code EIP712Domain} (ethers and viem let callers omit it), it is derived from the members
     * present in {@code domain}, as those libraries do.
     */
    public static TypedData fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidTypedDataException("typed data must be a JSON object");
        }
        JsonNode primaryType = json.get("primaryType");
        if (primaryType == null || !primaryType.isTextual()) {
            throw new InvalidTypedDataException("primaryType must be a string");
        }
        JsonNode domain = json.get("domain");
        if (domain == null || !domain.isObject()) {
            throw new InvalidTypedDataException("domain must be a JSON object");
        }
        Eip712Types types = Eip712Types.fromJson(json.get("types"));
        if (types.fields(DOMAIN_TYPE).isEmpty()) {
            Map<String, List<Eip712Field>> withDomain = new LinkedHashMap<>();
            withDomain.put(DOMAIN_TYPE, domainFields(domain));
            withDomain.putAll(types.structs());
            types = new Eip712Types(withDomain);
        }
        return new TypedData(types, primaryType.textValue(), domain, json.get("message"));
    }

    /** The {@code eth_signTypedData_v4} JSON: what a client signs with viem or ethers. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.set("types", types.toJson());
        json.put("primaryType", primaryType);
        json.set("domain", domain.deepCopy());
        json.set("message", message.deepCopy());
        return json;
    }

    public Bytes32 domainSeparator() {
        return types.hashStruct(DOMAIN_TYPE, domain);
    }

    public Bytes32 hashStruct() {
        return types.hashStruct(primaryType, message);
    }

    /** {@code keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message))}. */
    public Bytes32 digest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(66);
        out.write(0x19);
        out.write(0x01);
        out.writeBytes(domainSeparator().bytes());
        out.writeBytes(hashStruct().bytes());
        return Keccak256.hash(out.toByteArray());
    }

    private static List<Eip712Field> domainFields(JsonNode domain) {
        List<Eip712Field> fields = new ArrayList<>();
        DOMAIN_MEMBERS.forEach((name, type) -> {
            if (domain.has(name)) {
                fields.add(new Eip712Field(name, type));
            }
        });
        return fields;
    }

    private static Map<String, String> orderedDomainMembers() {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("name", "string");
        members.put("version", "string");
        members.put("chainId", "uint256");
        members.put("verifyingContract", "address");
        members.put("salt", "bytes32");
        return members;
    }
}
