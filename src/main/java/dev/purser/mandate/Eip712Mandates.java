package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.InvalidTypedDataException;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Recovery;
import dev.purser.money.Amount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The EIP-712 form (ap2.md §4 verification algorithm, steps 2–8), after its schema passed. */
final class Eip712Mandates {

    private static final String M = "mandate";

    private Eip712Mandates() {
    }

    /** The mandate id: the EIP-712 digest of {@code message} in the policy's domain. */
    static Bytes32 digest(JsonNode message, long chainId) {
        try {
            return PurserTypes.SPENDING_MANDATE
                    .typedData(PurserTypes.mandateDomain(chainId), message).digest();
        } catch (InvalidTypedDataException e) {
            // The schema admits only encodable members; reaching this means they disagree.
            throw new Refuse(MandateRefusal.Reason.INVALID, M, "mandate: " + e.getMessage());
        }
    }

    static Mandate read(JsonNode body, MandatePolicy policy, Instant now) {
        JsonNode message = body.get(M);
        Address principal = SignedFields.address(message, "principal", M);
        Address agent = SignedFields.address(message, "agent", M);
        Address asset = SignedFields.address(message, "asset", M);
        Bytes32 parent = SignedFields.bytes32(message, "parent");

        // Authenticity first: nothing a forger wrote is worth a more specific answer.
        Bytes32 id = digest(message, policy.chainId());
        Recovery.Recovered recovered = SignedFields.recover(id, body.get("signature").asText());
        if (!recovered.signer().equals(principal)) {
            throw new Refuse(MandateRefusal.Reason.SIGNATURE_MISMATCH, "signature",
                    "signature is by " + recovered.signer() + ", not by mandate.principal "
                            + principal + (parent.isZero() ? ""
                                    : " (a child mandate is signed by its principal, the "
                                            + "parent's agent)")
                            + "; or a signed field was changed, or it was signed for another "
                            + "chain than " + policy.chainId());
        }

        if (!policy.asset().isToken(asset.lowerHex())) {
            throw new Refuse(MandateRefusal.Reason.UNSUPPORTED_ASSET, "mandate.asset",
                    "mandate.asset " + asset + " is not " + policy.asset().address()
                            + ", USDC on " + policy.asset().network());
        }
        Amount budget = SignedFields.amount(message, "budget", M);
        Amount perTaskMax = SignedFields.amount(message, "perTaskMax", M);
        Validity.checkCap(budget, perTaskMax, "mandate.perTaskMax");
        Instant notBefore = SignedFields.seconds(message, "notBefore");
        Instant expiresAt = SignedFields.seconds(message, "expiresAt");
        Validity.check(notBefore, expiresAt, now, "mandate.notBefore", "mandate.expiresAt");

        List<String> skills = new ArrayList<>();
        message.get("skills").forEach(skill -> skills.add(skill.textValue()));
        // Store the canonical signature (v 0/1 read as 27/28): the one form USDC and we accept.
        ObjectNode document = body.deepCopy();
        document.put("signature", recovered.signature().hex());
        return new Mandate(id, MandateForm.EIP712, new Party.Account(principal),
                new Party.Account(agent), policy.asset(), budget, perTaskMax, skills, notBefore,
                expiresAt, parent.isZero() ? Optional.empty() : Optional.of(parent),
                Optional.of(SignedFields.bytes32(message, "nonce")), Optional.empty(), List.of(),
                List.of(), document);
    }
}
