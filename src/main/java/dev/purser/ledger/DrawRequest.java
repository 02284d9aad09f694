package dev.purser.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import dev.purser.money.Amount;
import dev.purser.money.AmountParse;

/**
 * A direct draw as posted to {@code /use} (DESIGN §8): EIP-712 {@code Draw(bytes32 mandateId,
 * uint256 amount,bytes32 idempotencyKey,string memo,uint64 deadline)} and the agent's signature
 * (null when a bearer token stands in for it).
 *
 * @param deadline unix seconds; 0 = none
 */
public record DrawRequest(Bytes32 mandateId, long amount, Bytes32 idempotencyKey, String memo,
        long deadline, String signature) {

    /** Longest memo accepted, in characters: a limit on everything. */
    static final int MAX_MEMO = 512;

    /** The EIP-712 message, as the agent signed it. */
    public ObjectNode message() {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("mandateId", mandateId.hex());
        message.put("amount", Long.toString(amount));
        message.put("idempotencyKey", idempotencyKey.hex());
        message.put("memo", memo);
        message.put("deadline", deadline);
        return message;
    }

    /** A field that failed structural validation: 400 at the edge. */
    public record Invalid(String field, String message) {
    }

    /** Either the request or what is wrong with it; never throws for bad input. */
    public sealed interface Parse permits Parsed, Rejected {
    }

    public record Parsed(DrawRequest request) implements Parse {
    }

    public record Rejected(Invalid invalid) implements Parse {
    }

    public static Parse fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            return reject("", "the body must be a JSON object");
        }
        JsonNode draw = body.get("draw");
        if (draw == null || !draw.isObject()) {
            return reject("draw", "draw must be an object");
        }
        JsonNode id = draw.get("mandateId");
        if (id == null || !id.isTextual() || !Hex.isHex(id.textValue(), 32)) {
            return reject("draw.mandateId", "mandateId must be 0x + 64 hex digits");
        }
        JsonNode amountNode = draw.get("amount");
        if (amountNode == null || !(amountNode.isTextual() || amountNode.isIntegralNumber())) {
            return reject("draw.amount", "amount must be a decimal string of atomic units");
        }
        AmountParse amount = Amount.parse(amountNode.asText());
        if (amount instanceof AmountParse.Refused refused) {
            return reject("draw.amount", refused.message());
        }
        JsonNode key = draw.get("idempotencyKey");
        if (key == null || !key.isTextual() || !Hex.isHex(key.textValue(), 32)) {
            return reject("draw.idempotencyKey", "idempotencyKey must be 0x + 64 hex digits");
        }
        JsonNode memo = draw.get("memo");
        if (memo != null && !memo.isNull() && !memo.isTextual()) {
            return reject("draw.memo", "memo must be a string");
        }
        String memoText = memo == null || memo.isNull() ? "" : memo.textValue();
        if (memoText.length() > MAX_MEMO) {
            return reject("draw.memo", "memo is longer than " + MAX_MEMO + " characters");
        }
        JsonNode deadline = draw.get("deadline");
        long deadlineSeconds = 0;
        if (deadline != null && !deadline.isNull()) {
            if (!deadline.isIntegralNumber() || !deadline.canConvertToLong()
                    || deadline.longValue() < 0) {
                return reject("draw.deadline", "deadline must be unix seconds (a JSON integer)");
            }
            deadlineSeconds = deadline.longValue();
        }
        JsonNode signature = body.get("signature");
        if (signature != null && !signature.isNull()
                && (!signature.isTextual() || !Hex.isHex(signature.textValue(), 65))) {
            return reject("signature", "signature must be 0x + 65 bytes of hex");
        }
        return new Parsed(new DrawRequest(Bytes32.fromHex(id.textValue()),
                amount.orElseThrow().units(), Bytes32.fromHex(key.textValue()), memoText,
                deadlineSeconds,
                signature == null || signature.isNull() ? null : signature.textValue()));
    }

    private static Parse reject(String field, String message) {
        return new Rejected(new Invalid(field, message));
    }
}
