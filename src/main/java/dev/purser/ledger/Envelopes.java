package dev.purser.ledger;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The ledger's public API: envelopes opened from mandates, drawn down in two phases.
 *
 * <p>Money changes are conditional UPDATEs whose WHERE clause is the invariant ({@code amount <=
 * budget - spent - reserved}), backed by CHECK constraints, so no interleaving of threads,
 * instances or crashes can overspend. The draw path (reserve, capture, release) runs in SQL
 * functions (V11), batched per envelope by {@link DrawBatcher} so that concurrent draws share a
 * transaction; receipts are signed after commit ({@link Receipts}). The rare operations (open,
 * revoke, refund) are in {@link EnvelopeLifecycle}. Refusals are {@link Refused} values.
 */
@ApplicationScoped
public class Envelopes {

    private final DataSource db;
    private final LedgerConfig config;
    private final ReceiptSigner signer;
    private final LedgerClock clock;
    private final DrawBatcher batcher;
    private final Receipts receipts;

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
        this.batcher = batcher;
        this.receipts = receipts;
    }

    /** The address that signs receipts, which the card publishes as {@code receiptSigner}. */
    public Address receiptSigner() {
        return signer.address();
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
            Optional<OpenResult> notNew = EnvelopeLifecycle.open(c, spec, now);
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
        return LedgerTransaction.run(db, "reading the skills of " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("select skills from envelope where id = ?")) {
                ps.setString(1, id.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<List<String>>empty();
                    }
                    java.sql.Array skills = rs.getArray(1);
                    return Optional.of(skills == null ? List.<String>of()
                            : List.of((String[]) skills.getArray()));
                }
            }
        });
    }

    /**
     * Revokes the envelope and its descendants at {@code at}: their pending draws are released
     * (a draw whose settlement outcome is unknown is left for reconciliation), and each child's
     * unspent budget returns to its parent. Idempotent.
     */
    public RevokeResult revoke(Bytes32 id, Instant at) {
        return LedgerTransaction.run(db, "revoking envelope " + id, c -> {
            List<Bytes32> family = EnvelopeLifecycle.family(c, id);
            if (family.isEmpty()) {
                c.rollback();
                return Refused.of(Refusal.UNKNOWN_MANDATE);
            }
            Instant now = clock.now();
            // Leaves first: a child's lock before its parent's, the order captures take too.
            for (Bytes32 member : family) {
                EnvelopeLifecycle.revokeOne(c, member, at, now);
            }
            return new RevokeResult.Revoked(EnvelopeReads.load(c, id, now).orElseThrow());
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
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        DrawContext what = context == null ? DrawContext.NONE : context;
        if (amount <= 0) {
            return Refused.of(Refusal.INVALID_AMOUNT, "a draw is a positive amount");
        }
        Duration holdFor = ttl == null || ttl.isNegative() || ttl.isZero()
                ? config.reservationTtl() : ttl;
        DrawBatcher.Outcome o = batcher.submit(DrawBatcher.Op.reserve(envelopeId, idempotencyKey,
                amount, holdFor.toMillis(), what.toJson().toString(),
                fingerprint(envelopeId, amount, what)));
        return switch (o.code()) {
            case "reserved" -> new ReserveResult.Reserved(new Reservation(o.reservation(),
                    envelopeId, idempotencyKey, amount, o.expiresAt()));
            case "captured" -> new ReserveResult.AlreadyCaptured(
                    receipt(envelopeId, idempotencyKey).orElseThrow());
            default -> refused(o);
        };
    }

    /**
     * A one-phase draw: {@code amount} is spent at once, after the same key, guard and budget
     * checks as {@link #reserve} (the agent's concurrency cap is checked, not held: nothing stays
     * in flight). One {@code capture} entry from available to spent, and the signed receipt. The
     * same key and amount again answers the same receipt; no second draw.
     */
    public CaptureResult draw(Bytes32 envelopeId, long amount, Bytes32 idempotencyKey,
            DrawContext context) {
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        DrawContext what = context == null ? DrawContext.NONE : context;
        if (amount <= 0) {
            return Refused.of(Refusal.INVALID_AMOUNT, "a draw is a positive amount");
        }
        DrawBatcher.Outcome o = batcher.submit(DrawBatcher.Op.draw(envelopeId, idempotencyKey,
                amount, config.reservationTtl().toMillis(), what.toJson().toString(),
                fingerprint(envelopeId, amount, what)));
        return captured(o, amount);
    }

    /**
     * Posts {@code amount} (at most the reserved amount) of a pending reservation; the rest
     * returns to the envelope. Issues the signed receipt, and posts the same amount on every
     * ancestor of a child envelope. Capturing again with the same amount answers the same
     * receipt.
     */
    public CaptureResult capture(Reservation reservation, long amount) {
        Objects.requireNonNull(reservation, "reservation");
        if (amount < 0) {
            return Refused.of(Refusal.INVALID_AMOUNT, "a capture is not negative");
        }
        return captured(batcher.submit(DrawBatcher.Op.capture(reservation.envelopeId(),
                reservation.id(), amount)), amount);
    }

    private CaptureResult captured(DrawBatcher.Outcome o, long amount) {
        return switch (o.code()) {
            case "captured_now" -> new CaptureResult.Captured(receipts.issue(o.envelope(),
                    amount, o.key(), o.entryHash(), o.issuedAt()));
            case "captured" -> new CaptureResult.Captured(
                    receipt(o.envelope(), o.key()).orElseThrow());
            case "no_such_reservation" -> Refused.of(Refusal.RESERVATION_RELEASED,
                    "no such reservation");
            default -> refused(o);
        };
    }

    /**
     * Returns a reservation's whole amount to the envelope: the draw failed or will not be paid.
     * Also resolves one whose settlement was unknown, once reconciliation finds it unpaid.
     * Idempotent; a captured reservation is {@link Refusal#RESERVATION_CAPTURED}.
     */
    public ReleaseResult release(Reservation reservation) {
        DrawBatcher.Outcome o = batcher.submit(DrawBatcher.Op.release(reservation.envelopeId(),
                reservation.id(), false));
        return "reservation_captured".equals(o.code()) ? refused(o)
                : new ReleaseResult.Done(reservation);
    }

    /**
     * Marks a reservation as being settled, outcome unknown until reconciliation: the sweeper
     * then never releases it. Call it before asking a facilitator to settle.
     */
    public ReleaseResult markSettlementUnknown(Reservation reservation) {
        String what = "marking reservation " + reservation.id();
        return LedgerTransaction.<ReleaseResult>run(db, what, c -> {
            try (PreparedStatement ps = c.prepareStatement("update reservation set"
                    + " state = 'settlement_unknown' where id = ? and kind = 'draw'"
                    + " and state in ('pending', 'settlement_unknown') returning 1")) {
                ps.setLong(1, reservation.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new ReleaseResult.Done(reservation);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select state from reservation where id = ?")) {
                ps.setLong(1, reservation.id());
                try (ResultSet rs = ps.executeQuery()) {
                    boolean captured = rs.next() && "captured".equals(rs.getString(1));
                    return Refused.of(captured ? Refusal.RESERVATION_CAPTURED
                            : Refusal.RESERVATION_RELEASED);
                }
            }
        });
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
            RefundResult result = EnvelopeLifecycle.refund(c, envelopeId, drawKey, refundKey,
                    amount, clock.now());
            if (result instanceof Refused) {
                c.rollback();
            }
            return result;
        });
    }

    /** The receipt of the captured draw with this key, if there is one. */
    public Optional<Receipt> receipt(Bytes32 envelopeId, Bytes32 idempotencyKey) {
        return LedgerTransaction.run(db, "reading a receipt",
                c -> receipts.find(c, envelopeId, idempotencyKey));
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

    /**
     * Releases up to {@code max} pending draws past their TTL in one transaction, each
     * conditional on still being pending and expired, so instances sweeping together, or a
     * capture racing the sweep, resolve each reservation exactly once. Draws whose settlement
     * outcome is unknown are not pending and so never swept.
     *
     * @return how many it released
     */
    int sweepExpired(int max) {
        List<DrawBatcher.Op> due = LedgerTransaction.run(db, "finding expired reservations", c -> {
            List<DrawBatcher.Op> ops = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, envelope_id"
                    + " from reservation where state = 'pending' and kind = 'draw'"
                    + " and expires_at <= now() order by expires_at limit ?")) {
                ps.setInt(1, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ops.add(DrawBatcher.Op.release(Bytes32.fromHex(rs.getString(2)),
                                rs.getLong(1), true));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("delete from request_fingerprint"
                    + " where window_start < now() - interval '2 minutes'")) {
                ps.executeUpdate();
            }
            return ops;
        });
        if (due.isEmpty()) {
            return 0;
        }
        due.sort(Comparator.comparing(op -> op.envelope().hex()));
        return (int) batcher.applyAll(due).stream()
                .filter(o -> "released".equals(o.code())).count();
    }

    /**
     * Returns the rest of up to {@code max} expired child envelopes to their parents (DESIGN §8:
     * when a child ends, the rest returns to the parent), each in its own transaction.
     *
     * @return how many children gave something back
     */
    int returnExpiredChildren(int max) {
        List<Bytes32> due = LedgerTransaction.run(db, "finding expired children",
                c -> EnvelopeLifecycle.expiredChildrenWithRest(c, max));
        int returned = 0;
        for (Bytes32 child : due) {
            long rest = LedgerTransaction.run(db, "returning the rest of " + child,
                    c -> EnvelopeLifecycle.returnRest(c, child, clock.now()));
            if (rest > 0) {
                returned++;
            }
        }
        return returned;
    }

    // ---------------------------------------------------------------------------------------
    // Internals

    private static Refused refused(DrawBatcher.Outcome o) {
        Refusal reason = Refusal.valueOf(o.code().toUpperCase(Locale.ROOT));
        return new Refused(reason, reason.message(), o.retryAfterSeconds());
    }

    /** Loop detection's key: the same envelope, amount and memo/skill/provider. */
    private static String fingerprint(Bytes32 envelopeId, long amount, DrawContext what) {
        return Sha256.hash((envelopeId.hex() + "|" + amount + "|" + what.skill() + "|"
                + what.provider() + "|" + what.memo()).getBytes(StandardCharsets.UTF_8)).hex();
    }
}
