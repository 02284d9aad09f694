package dev.purser.mandate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.EnvelopePolicy;
import dev.purser.ledger.EnvelopeSpec;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.OpenResult;
import dev.purser.ledger.PolicyResult;
import dev.purser.ledger.Refusal;
import dev.purser.ledger.Refused;
import dev.purser.ledger.RevokeResult;
import dev.purser.money.Amount;
import dev.purser.net.UrlGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Registration, reading and revocation of mandates (DESIGN §2, §4, §8): the verifiers of this
 * package in front, the ledger's envelopes behind.
 *
 * <p>Registering runs, in this order: the pure verification (schema, signature, validity,
 * asset, constraints); for a child, the narrowing its parent's signed terms demand
 * ({@link Delegation}); keeping the document; opening the envelope. What depends on the
 * parent's state now — its remaining budget, whether it is still active — is decided by the
 * ledger in the statement that carves the child out, and the same mandate registered twice
 * (even at once) is one envelope because the envelope id is a unique key: neither is read first
 * in Java, where two requests could both see room, or both see no envelope.
 */
@ApplicationScoped
public class MandateRegistry {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final MandateVerifier verifier;
    private final SignedRequests signedRequests;
    private final MandateStore store;
    private final Envelopes envelopes;
    private final UrlGuard webhooks;

    MandateRegistry(MandateVerifier verifier, SignedRequests signedRequests, MandateStore store,
            Envelopes envelopes, MandateConfig config) {
        this.verifier = verifier;
        this.signedRequests = signedRequests;
        this.store = store;
        this.envelopes = envelopes;
        this.webhooks = new UrlGuard(config.pushAllowPrivate());
    }

    /** An answer: the JSON to show, or a refusal. */
    public sealed interface Outcome permits Outcome.Done, Outcome.Refused {

        /** @param created whether this request created it (201) rather than found it (200) */
        record Done(ObjectNode json, boolean created) implements Outcome {
        }

        record Refused(RegistryRefusal refusal) implements Outcome {
        }
    }

    /** {@code POST /api/a2a/mandates}: the envelope, new or (the same mandate again) existing. */
    public Outcome register(String body) {
        // One instant for the whole check, kept with the document: reading it back later
        // verifies it again as of exactly then (PostgreSQL keeps microseconds).
        Instant now = verifier.clock().instant().truncatedTo(ChronoUnit.MICROS);
        Mandate mandate;
        switch (at(now).verify(body)) {
            case MandateCheck.Accepted accepted -> mandate = accepted.mandate();
            case MandateCheck.Refused refused -> {
                return refuse(RegistryRefusal.of(refused.refusal()));
            }
        }
        if (mandate.isChild()) {
            Optional<RegistryRefusal> widens = narrowing(mandate);
            if (widens.isPresent()) {
                return refuse(widens.get());
            }
        }
        store.save(mandate, now);
        EnvelopeSpec spec = EnvelopeTerms.of(mandate);
        return switch (envelopes.open(spec)) {
            case OpenResult.Opened opened -> new Outcome.Done(
                    view(opened.envelope(), mandate.form(), mandate.principal().id(),
                            mandate.agent().id(), mandate.skills(), mandate.recurrence()),
                    opened.created());
            case Refused refused -> refuse(openRefusal(refused, mandate));
        };
    }

    /** {@code GET /api/a2a/mandates/{id}}. */
    public Outcome get(Bytes32 id) {
        return envelopes.find(id).<Outcome>map(envelope -> new Outcome.Done(view(envelope,
                store.find(id)), false))
                .orElseGet(() -> refuse(RegistryRefusal.unknownMandate(id.hex())));
    }

    /**
     * {@code GET /api/a2a/mandates?principal=&agent=}: registered mandates of a principal and/or
     * agent (party ids), in id order, {@code limit} at a time after the id {@code after}.
     */
    public Outcome list(String principal, String agent, Bytes32 after, int limit) {
        List<MandateStore.Stored> page = store.list(principal, agent, after, limit);
        ObjectNode json = F.objectNode();
        ArrayNode mandates = json.putArray("mandates");
        for (MandateStore.Stored stored : page) {
            // A document whose envelope was never opened (refused at opening) is not a mandate.
            envelopes.find(stored.id()).ifPresent(envelope -> mandates.add(
                    view(envelope, Optional.of(stored))));
        }
        if (page.size() == limit) {
            json.put("next", page.getLast().id().hex());
        } else {
            json.putNull("next");
        }
        return new Outcome.Done(json, false);
    }

    /**
     * {@code POST /api/a2a/mandates/{id}/revoke}: signed by the mandate's principal; revokes its
     * descendants with it. Revoking again answers the revoked envelope.
     */
    public Outcome revoke(Bytes32 id, String body) {
        Optional<MandateStore.Stored> stored = store.find(id);
        Optional<Mandate> target = stored.flatMap(this::reread);
        if (target.isEmpty() || envelopes.find(id).isEmpty()) {
            return refuse(RegistryRefusal.unknownMandate(id.hex()));
        }
        Revocation revocation;
        switch (signedRequests.revocation(body, target.get())) {
            case Verification.Accepted<Revocation> accepted -> revocation = accepted.value();
            case Verification.Refused<Revocation> refused -> {
                return refuse(RegistryRefusal.of(refused.refusal()));
            }
        }
        return switch (envelopes.revoke(id, revocation.revokedAt())) {
            case RevokeResult.Revoked revoked -> new Outcome.Done(
                    view(revoked.envelope(), stored), false);
            case Refused refused -> refuse(RegistryRefusal.of(refused, "id"));
        };
    }

    /**
     * {@code PUT /api/a2a/mandates/{id}/policy} (DESIGN §4): signed by the mandate's principal,
     * its webhook allowed by the push SSRF rules. Whether it is the latest and, for a child, no
     * looser than its parent's is the ledger's to decide, in the statement that stores it.
     */
    public Outcome setPolicy(Bytes32 id, String body) {
        Optional<MandateStore.Stored> stored = store.find(id);
        Optional<Mandate> target = stored.flatMap(this::reread);
        if (target.isEmpty() || envelopes.find(id).isEmpty()) {
            return refuse(RegistryRefusal.unknownMandate(id.hex()));
        }
        String path = target.get().form() == MandateForm.EIP712 ? "policy" : "jws";
        EnvelopePolicy policy;
        switch (signedRequests.policy(body, target.get())) {
            case Verification.Accepted<EnvelopePolicy> accepted -> policy = accepted.value();
            case Verification.Refused<EnvelopePolicy> refused -> {
                return refuse(RegistryRefusal.of(refused.refusal()));
            }
        }
        if (!policy.webhook().isEmpty()) {
            Optional<String> why = webhooks.refusalToRegister(policy.webhook());
            if (why.isPresent()) {
                return refuse(RegistryRefusal.badParameter(path + ".webhook",
                        path + ".webhook: the URL " + why.get()));
            }
        }
        return switch (envelopes.setPolicy(id, policy)) {
            case PolicyResult.Set set -> new Outcome.Done(view(set.envelope(), stored), false);
            case Refused refused -> refuse(RegistryRefusal.of(refused,
                    refused.reason() == Refusal.POLICY_OUTDATED ? path + ".issuedAt" : path));
        };
    }

    /**
     * The narrowing a child owes its parent's signed terms. The parent's remaining budget and
     * activity are the ledger's to decide at opening; here the bound is the parent's signed
     * budget, which a child can never exceed either.
     */
    private Optional<RegistryRefusal> narrowing(Mandate child) {
        Bytes32 parentId = child.parent().orElseThrow();
        Optional<Mandate> parent = store.find(parentId).flatMap(this::reread);
        Optional<Envelope> parentEnvelope = envelopes.find(parentId);
        if (parent.isEmpty() || parentEnvelope.isEmpty()) {
            return Optional.of(RegistryRefusal.of(MandateRefusal.Reason.UNKNOWN_PARENT,
                    "mandate.parent", "mandate.parent " + parentId
                            + " is not a registered mandate"));
        }
        ParentFacts facts = new ParentFacts(parent.get(), parent.get().budget(), true,
                depth(parentEnvelope.get()));
        return switch (Delegation.check(child, facts, verifier.policy())) {
            case MandateCheck.Accepted accepted -> Optional.empty();
            case MandateCheck.Refused refused -> Optional.of(RegistryRefusal.of(
                    refused.refusal()));
        };
    }

    /** How far below its root an envelope is; past the policy's limit it stops counting. */
    private int depth(Envelope envelope) {
        int depth = 0;
        Envelope at = envelope;
        while (at.parent() != null && depth <= verifier.policy().maxDepth()) {
            Optional<Envelope> parent = envelopes.find(at.parent());
            if (parent.isEmpty()) {
                break;
            }
            at = parent.get();
            depth++;
        }
        return depth;
    }

    /** The ledger's refusal to open a verified mandate, blamed on the field that caused it. */
    private RegistryRefusal openRefusal(Refused refused, Mandate mandate) {
        String parent = mandate.parent().map(Bytes32::hex).orElse("");
        String budgetField = mandate.form() == MandateForm.EIP712 ? "mandate.budget" : "sdJwt";
        return switch (refused.reason()) {
            case BUDGET_EXCEEDS_PARENT -> RegistryRefusal.of(
                    MandateRefusal.Reason.BUDGET_EXCEEDS_PARENT, budgetField,
                    budgetField + " " + mandate.budget() + " exceeds what the parent " + parent
                            + " has left, " + envelopes.find(mandate.parent().orElseThrow())
                                    .map(e -> Amount.of(e.remaining()).toString())
                                    .orElse("nothing"));
            case REVOKED, EXPIRED, NOT_YET_VALID -> RegistryRefusal.of(
                    MandateRefusal.Reason.PARENT_NOT_ACTIVE, "mandate.parent",
                    "mandate.parent " + parent + " is " + refused.reason().code()
                            + ": it can fund no child");
            case UNKNOWN_MANDATE -> RegistryRefusal.of(MandateRefusal.Reason.UNKNOWN_PARENT,
                    "mandate.parent", "mandate.parent " + parent + " is not a registered mandate");
            case SCOPE_WIDENS_PARENT -> RegistryRefusal.of(
                    MandateRefusal.Reason.SCOPE_WIDENS_PARENT, "mandate",
                    "mandate: " + refused.message());
            default -> RegistryRefusal.of(refused, mandate.form() == MandateForm.EIP712
                    ? "mandate" : "sdJwt");
        };
    }

    /** The registered mandate with this id, verified again, if there is one. */
    Optional<Mandate> mandate(Bytes32 id) {
        return store.find(id).flatMap(this::reread);
    }

    /**
     * A stored mandate read back: verified again, as of the instant it was first verified, so
     * the answer is the one registration got. Empty if it no longer verifies (the server was
     * moved to another network since).
     */
    private Optional<Mandate> reread(MandateStore.Stored stored) {
        return at(stored.verifiedAt()).verify(stored.document()).toOptional();
    }

    /** The verifier with its clock stopped at {@code instant}. */
    private MandateVerifier at(Instant instant) {
        return new MandateVerifier(verifier.policy(), Clock.fixed(instant, ZoneOffset.UTC));
    }

    private static ObjectNode view(Envelope envelope, Optional<MandateStore.Stored> stored) {
        if (stored.isEmpty()) {
            // Opened by the ledger directly (an operator or a test), not registered here.
            return envelope.toJson();
        }
        MandateStore.Stored s = stored.get();
        return view(envelope, s.form(), s.principal(), s.agent(), s.skills(), s.recurrence());
    }

    /**
     * The envelope JSON of DESIGN §8, with the parties as the mandate names them (an AP2 key's
     * thumbprint URN rather than the ledger's alias) and the signed scope.
     */
    private static ObjectNode view(Envelope envelope, MandateForm form, String principal,
            String agent, List<String> skills, Optional<Recurrence> recurrence) {
        ObjectNode json = envelope.toJson();
        json.put("principal", principal);
        json.put("agent", agent);
        json.put("form", form.wire());
        ArrayNode scope = json.putArray("skills");
        skills.forEach(scope::add);
        if (recurrence.isPresent()) {
            json.put("recurrence", recurrence.get().wire());
        } else {
            json.putNull("recurrence");
        }
        return json;
    }

    private static Outcome refuse(RegistryRefusal refusal) {
        return new Outcome.Refused(refusal);
    }
}
