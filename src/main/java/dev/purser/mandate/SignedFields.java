package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Recovery;
import dev.purser.crypto.Secp256k1;
import dev.purser.money.Amount;
import dev.purser.money.AmountParse;
import java.math.BigInteger;
import java.time.Instant;

/**
 * Reads the members of schema-valid signed structs into domain values, turning what the schema
 * cannot express (EIP-55 checksums, the {@code long} range of amounts, signature canonicity) into
 * refusals that name the field.
 */
final class SignedFields {

    private SignedFields() {
    }

    static Address address(JsonNode struct, String name, String path) {
        return Address.parse(struct.path(name).asText()).orElseThrow(() -> new Refuse(
                MandateRefusal.Reason.INVALID, path + "." + name,
                path + "." + name + " has mixed case but a wrong EIP-55 checksum"));
    }

    static Bytes32 bytes32(JsonNode struct, String name) {
        return Bytes32.fromHex(struct.path(name).asText());
    }

    static Amount amount(JsonNode struct, String name, String path) {
        String field = path + "." + name;
        return switch (Amount.fromUint256(new BigInteger(struct.path(name).asText()))) {
            case AmountParse.Parsed parsed -> parsed.amount();
            case AmountParse.Refused refused -> throw new Refuse(
                    refused.reason() == AmountParse.Reason.EXCEEDS_LONG
                            ? MandateRefusal.Reason.AMOUNT_OUT_OF_RANGE
                            : MandateRefusal.Reason.INVALID,
                    field, field + " " + refused.reason().description());
        };
    }

    static Instant seconds(JsonNode struct, String name) {
        // The schema bounds it to year 9999, well inside Instant's range.
        return Instant.ofEpochSecond(struct.path(name).longValue());
    }

    /**
     * The signer of {@code digest}, refusing every non-canonical encoding (high-s, v outside
     * 27/28/0/1, r or s out of range) with {@code signature_malformed}.
     */
    static Recovery.Recovered recover(Bytes32 digest, String signatureHex) {
        return switch (Secp256k1.recover(digest, signatureHex)) {
            case Recovery.Recovered recovered -> recovered;
            case Recovery.Refused refused -> throw new Refuse(
                    MandateRefusal.Reason.SIGNATURE_MALFORMED, "signature",
                    "signature is not a canonical secp256k1 signature: " + refused.reason());
        };
    }
}
