package dev.purser.ledger;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The ledger's public API: envelopes opened from mandates, drawn down in two phases.
 *
 * <p>Money changes are conditional UPDATEs whose WHERE clause is the invariant ({@code amount <=
 * budget - spent - reserved}), backed by CHECK constraints, so no interleaving of threads,
 * instances or crashes can overspend. This class is the façade: it runs each operation in a
 * {@link LedgerTransaction} and leaves the work to the package. The draw path (reserve, capture,
 * release) is {@link DrawPath}, in SQL functions (V11) batched per envelope by
 * {@link DrawBatcher}; the rare operations are {@link EnvelopeOpening}, {@link EnvelopeClosing}
 * (revoke, an ended child's rest) and {@link Refunds}; reads are {@link EnvelopeReads}. Refusals
 * are {@link Refused} values.
 */
@ApplicationScoped
public class Envelopes {

    private final DataSource db;
    private final LedgerConfig config;
    private final ReceiptSigner signer;
    private final LedgerClock clock;
    private final Receipts receipts;
    private final DrawPath draws;

    /** Outside CDI (tools, the integration tests' auditor): the system clock, its own batcher. */
    public Envelopes(DataSource db, LedgerConfig config, ReceiptSigner signer) {
        this(db, config, signer, new LedgerClock(), new Receipts(db, signer));
    }

    private Envelopes(DataSource db, LedgerConfig config, ReceiptSigner signer,
            LedgerClock clock, Receipts receipts) {
        this(db, config, signer, clock, new DrawBatcher(db, config, clock), receipts);
    }

    @Inject
    Envelopes(DataSource db, LedgerConfig config, ReceiptSigner signer, LedgerClock clock,
            DrawBatcher batcher, Receipts receipts) {
        this.db = db;
        this.config = config;
        this.signer = signer;
        this.clock = clock;
        this.receipts = receipts;
        this.draws = new DrawPath(db, config, batcher, receipts);
    }

    /** The address that signs receipts, which the card publishes as {@code receiptSigner}. */
    public Address receiptSigner() {
        return signer.address();
    }

    /** The public JWK webhook signatures verify with, which the card publishes. */
    public Map<String, String> webhookKey() {
        return signer.webhookKey();
    }

    /** The EIP-712 chainId of draws and receipts ({@code PURSER_NETWORK}). */
    public long chainId() {
        return signer.chainId();
    }

    /** The default reservation TTL ({@code PURSER_RESERVATION_TTL}). */
    public Duration defaultTtl() {
        return config.reservationTtl();
    }

    // ---------------------------------------------------------------------------------------
    // Open, find, revoke

    /**
     * Opens the envelope of a verified mandate. Idempotent: the same id with the same terms
     * answers the existing envelope ({@code created = false}); other terms are
     * {@link Refusal#CONFLICTING_ENVELOPE}. A child's budget is reserved on its parent in the
     * same transaction ({@link Refusal#BUDGET_EXCEEDS_PARENT} when it does not fit); a child
     * cannot recur.
     */
    public OpenResult open(EnvelopeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return LedgerTransaction.run(db, "opening envelope " + spec.id(), c -> {
            Instant now = clock.now();
            Optional<OpenResult> notNew = EnvelopeOpening.open(c, spec, now);
            if (notNew.isPresent()) {
                c.rollback();
                return notNew.get();
            }
            return new OpenResult.Opened(EnvelopeReads.load(c, spec.id(), now).orElseThrow(),
                    true);
        });
    }

    /** The envelope, or empty if there is none with this id. */
    public Optional<Envelope> find(Bytes32 id) {
        return LedgerTransaction.run(db, "reading envelope " + id,
                c -> EnvelopeReads.load(c, id, clock.now()));
    }

    /**
     * The skills the envelope's mandate allows ({@code []} = any), or empty if there is no such
     * envelope: a task draw checks its skill against them before it reserves.
     */
    public Optional<List<String>> skills(Bytes32 id) {
        return LedgerTransaction.run(db, "reading the skills of " + id,
                c -> EnvelopeReads.skills(c, id));
    }

    /**
     * Revokes the envelope and its descendants at {@code at}: their pending draws are released
     * (a draw whose settlement outcome is unknown is left for reconciliation), and each child's
     * unspent budget returns to its parent. Idempotent.
     */
    public RevokeResult revoke(Bytes32 id, Instant at) {
        return LedgerTransaction.run(db, "revoking envelope " + id, c -> {
            List<Bytes32> family = EnvelopeClosing.family(c, id);
            if (family.isEmpty()) {
                c.rollback();
                return Refused.of(Refusal.UNKNOWN_MANDATE);
            }
            Instant now = clock.now();
            // Leaves first: a child's lock before its parent's, the order captures take too.
            for (Bytes32 member : family) {
                EnvelopeClosing.revokeOne(c, member, at, now);
            }
            return new RevokeResult.Revoked(EnvelopeReads.load(c, id, now).orElseThrow());
        });
    }

    /**
     * Puts the principal's verified {@code policy} in force (DESIGN §4): the daily cap, the
     * guards (each the tighter of the server's and the policy's), the notice thresholds and
     * webhook. {@link Refusal#POLICY_OUTDATED} when a policy issued at or after it holds;
     * {@link Refusal#POLICY_LOOSENS_PARENT} when a child's would loosen its parent's limits.
     */
    public PolicyResult setPolicy(Bytes32 id, EnvelopePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return LedgerTransaction.run(db, "setting the policy of " + id, c -> {
            Optional<Refused> refused = PolicyWrites.set(c, id, policy);
            if (refused.isPresent()) {
                c.rollback();
                return refused.get();
            }
            return new PolicyResult.Set(EnvelopeReads.load(c, id, clock.now()).orElseThrow());
        });
    }

    // ---------------------------------------------------------------------------------------
    // Reserve, capture, release, refund

    /**
     * Holds {@code amount} on the envelope for at most {@code ttl}, after the guards. The key
     * makes it exactly-once: the same key again answers the finished draw's receipt
     * ({@link ReserveResult.AlreadyCaptured}), {@link Refusal#IDEMPOTENCY_KEY_IN_FLIGHT} while it
     * is pending, {@link Refusal#IDEMPOTENCY_KEY_REUSED} for another amount. A key whose draw was
     * released or expired (so never paid) may be reserved again. A recurring envelope whose
     * period ended rolls over (spent starts at 0) in the same statement.
     */
    public ReserveResult reserve(Bytes32 envelopeId, long amount, Bytes32 idempotencyKey,
            Duration ttl, DrawContext context) {
        return draws.reserve(envelopeId, amount, idempotencyKey, ttl, context);
    }

    /**
     * A one-phase draw: {@code amount} is spent at once, after the same key, guard and budget
     * checks as {@link #reserve} (the agent's concurrency cap is checked, not held: nothing stays
     * in flight). One {@code capture} entry from available to spent, and the signed receipt. The
     * same key and amount again answers the same receipt; no second draw.
     */
    public CaptureResult draw(Bytes32 envelopeId, long amount, Bytes32 idempotencyKey,
            DrawContext context) {
        return draws.draw(envelopeId, amount, idempotencyKey, context);
    }

    /**
     * Posts {@code amount} (at most the reserved amount) of a pending reservation; the rest
     * returns to the envelope. Issues the signed receipt, and posts the same amount on every
     * ancestor of a child envelope. Capturing again with the same amount answers the same
     * receipt.
     */
    public CaptureResult capture(Reservation reservation, long amount) {
        return draws.capture(reservation, amount);
    }

    /**
     * Returns a reservation's whole amount to the envelope: the draw failed or will not be paid.
     * Also resolves one whose settlement was unknown, once reconciliation finds it unpaid.
     * Idempotent; a captured reservation is {@link Refusal#RESERVATION_CAPTURED}.
     */
    public ReleaseResult release(Reservation reservation) {
        return draws.release(reservation);
    }

    /**
     * Marks a reservation as being settled, outcome unknown until reconciliation: the sweeper
     * then never releases it. Call it before asking a facilitator to settle.
     */
    public ReleaseResult markSettlementUnknown(Reservation reservation) {
        return draws.markSettlementUnknown(reservation);
    }

    /**
     * Names who finally served a pending draw (a failover moved it to another provider), so the
     * report counts it there. Changes nothing once the draw is resolved.
     */
    public void attribute(Reservation reservation, String provider) {
        draws.attribute(reservation, Objects.requireNonNull(provider, "provider"));
    }

    /**
     * Gives back {@code amount} of the captured draw {@code drawKey} (the provider refunded it):
     * a {@code refund} journal entry from spent to available, on the envelope and on each
     * ancestor (where it returns to the child's carve-out). At most what the draw captured, in
     * total; exactly once per {@code refundKey} (the same key and amount again answers the same
     * result); not for a draw of a budget period that has closed.
     */
    public RefundResult refund(Bytes32 envelopeId, Bytes32 drawKey, Bytes32 refundKey,
            long amount) {
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(drawKey, "drawKey");
        Objects.requireNonNull(refundKey, "refundKey");
        if (amount <= 0) {
            return Refused.of(Refusal.INVALID_AMOUNT, "a refund is a positive amount");
        }
        return LedgerTransaction.run(db, "refunding on " + envelopeId, c -> {
            RefundResult result = Refunds.refund(c, envelopeId, drawKey, refundKey,
                    amount, clock.now());
            if (result instanceof Refused) {
                c.rollback();
            }
            return result;
        });
    }

    /** The receipt of the captured draw with this key, if there is one. */
    public Optional<Receipt> receipt(Bytes32 envelopeId, Bytes32 idempotencyKey) {
        return draws.receipt(envelopeId, idempotencyKey);
    }

    // ---------------------------------------------------------------------------------------
    // Reads

    /**
     * A page of the journal after entry {@code after}, with the receipts of the captures in it;
     * empty if there is no such envelope.
     */
    public Optional<LedgerPage> ledger(Bytes32 envelopeId, long after, int limit) {
        int pageSize = Math.max(1, Math.min(limit, 1000));
        return LedgerTransaction.run(db, "reading the journal of " + envelopeId, c -> {
            if (!EnvelopeReads.exists(c, envelopeId)) {
                return Optional.<LedgerPage>empty();
            }
            return Optional.of(EnvelopeReads.page(c, receipts, envelopeId, after, pageSize));
        });
    }

    /** Captured spend by skill, provider and day; empty if there is no such envelope. */
    public Optional<SpendReport> report(Bytes32 envelopeId) {
        return LedgerTransaction.run(db, "reporting on " + envelopeId, c -> {
            Optional<Envelope> envelope = EnvelopeReads.load(c, envelopeId, clock.now());
            return envelope.isEmpty() ? Optional.<SpendReport>empty()
                    : Optional.of(EnvelopeReads.report(c, envelope.get()));
        });
    }

    /** Whether a draw of {@code amount} would pass the envelope's own checks now; reserves nothing. */
    public Optional<Quote> quote(Bytes32 envelopeId, long amount) {
        return LedgerTransaction.run(db, "quoting on " + envelopeId, c -> {
            Instant now = clock.now();
            Optional<Envelope> envelope = EnvelopeReads.load(c, envelopeId, now);
            if (envelope.isEmpty()) {
                return Optional.<Quote>empty();
            }
            long remaining = envelope.get().remaining();
            Refused why = EnvelopeReads.whyNotReservable(c, envelopeId, amount, now);
            boolean fits = amount <= remaining && why.reason() == Refusal.INSUFFICIENT_BUDGET;
            return Optional.of(new Quote(envelopeId, amount, remaining,
                    fits ? null : why.reason()));
        });
    }

    // ---------------------------------------------------------------------------------------
    // The sweeper's part

    /** Releases up to {@code max} expired pending draws ({@link DrawPath#sweepExpired}). */
    int sweepExpired(int max) {
        return draws.sweepExpired(max);
    }

    /**
     * Returns the rest of up to {@code max} expired child envelopes to their parents (DESIGN §8:
     * when a child ends, the rest returns to the parent), each in its own transaction.
     *
     * @return how many children gave something back
     */
    int returnExpiredChildren(int max) {
        List<Bytes32> due = LedgerTransaction.run(db, "finding expired children",
                c -> EnvelopeClosing.expiredChildrenWithRest(c, max));
        int returned = 0;
        for (Bytes32 child : due) {
            long rest = LedgerTransaction.run(db, "returning the rest of " + child,
                    c -> EnvelopeClosing.returnRest(c, child, clock.now()));
            if (rest > 0) {
                returned++;
            }
        }
        return returned;
    }
}
