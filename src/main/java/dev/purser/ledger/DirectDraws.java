package dev.purser.ledger;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code POST /api/a2a/mandates/{id}/use}: a draw outside a task, on the same engine as task
 * payments, in one phase ({@link Envelopes#draw}). Only the mandate's agent may draw: proven
 * by its EIP-712 {@code Draw} signature, or by a bearer token whose subject is its address.
 */
@ApplicationScoped
public class DirectDraws {

    private final Envelopes envelopes;
    private final ClosedMandates closedMandates;
    private final Clock clock = Clock.systemUTC();

    public DirectDraws(Envelopes envelopes, ClosedMandates closedMandates) {
        this.envelopes = envelopes;
        this.closedMandates = closedMandates;
    }

    /** The outcome: a receipt, a refusal, or a request that cannot be read (400). */
    public sealed interface Outcome permits Drawn, Declined, Malformed {
    }

    public record Malformed(String field, String message) implements Outcome {
    }

    public record Drawn(Receipt receipt) implements Outcome {
    }

    public record Declined(Refused refused) implements Outcome {
    }

    /**
     * @param pathId the mandate id of the URL; the signed {@code mandateId} must equal it
     * @param tokenSubject the subject of a verified bearer token, if any
     */
    public Outcome draw(Bytes32 pathId, DrawRequest request, Optional<String> tokenSubject) {
        Optional<Envelope> found = envelopes.find(pathId);
        if (found.isEmpty()) {
            return refuse(Refusal.UNKNOWN_MANDATE, null);
        }
        Envelope envelope = found.get();
        if (!request.mandateId().equals(pathId)) {
            return refuse(Refusal.SIGNATURE_MISMATCH,
                    "the signed mandateId is not the mandate of the URL");
        }
        if (!byAgent(request, envelope.agent(), tokenSubject)) {
            return refuse(Refusal.SIGNATURE_MISMATCH, request.signature() == null
                    ? "sign the draw with the mandate's agent key, or present its bearer token"
                    : null);
        }
        if (request.deadline() != 0 && request.deadline() < clock.instant().getEpochSecond()) {
            return refuse(Refusal.EXPIRED, "the draw's deadline has passed");
        }
        return drawn(envelopes.draw(pathId, request.amount(), request.idempotencyKey(),
                DrawContext.direct(request.memo())));
    }

    /**
     * A draw on an AP2 mandate: {@code chain} is the registered open mandate and the agent's
     * closed mandate ({@link ClosedMandates}), which fixes the amount and the idempotency key.
     */
    public Outcome drawClosed(Bytes32 pathId, String chain) {
        return switch (closedMandates.verify(pathId, chain)) {
            case ClosedMandates.Malformed m -> new Malformed(m.field(), m.message());
            case ClosedMandates.Rejected r -> refuse(r.reason(), r.message());
            case ClosedMandates.Accepted a -> {
                CaptureResult result = envelopes.draw(pathId, a.amount(), a.key(),
                        DrawContext.direct(a.memo()));
                if (result instanceof Refused r && !r.reason().concernsKey()) {
                    closedMandates.release(a.key());
                }
                yield drawn(result);
            }
        };
    }

    private static Outcome drawn(CaptureResult result) {
        return switch (result) {
            case CaptureResult.Captured captured -> new Drawn(captured.receipt());
            case Refused refused -> new Declined(refused);
        };
    }

    private boolean byAgent(DrawRequest request, Address agent, Optional<String> tokenSubject) {
        if (request.signature() != null) {
            return Secp256k1.recover(PurserTypes.DRAW.typedData(
                    PurserTypes.mandateDomain(envelopes.chainId()), request.message()).digest(),
                    request.signature()).isBy(agent);
        }
        return tokenSubject.flatMap(Address::parse).map(agent::equals).orElse(false);
    }

    private static Outcome refuse(Refusal reason, String message) {
        return new Declined(new Refused(reason, message, 0));
    }
}
