package dev.purser.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Jcs;
import dev.purser.crypto.Sha256;
import dev.purser.ledger.JournalEntry.Account;
import dev.purser.ledger.JournalEntry.Type;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The ledger's public API: envelopes opened from mandates, drawn down in two phases.
 *
 * <p>Every operation is one explicit transaction in PostgreSQL. Money changes are conditional
 * UPDATEs whose WHERE clause is the invariant ({@code amount <= budget - spent - reserved}), backed
 * by CHECK constraints, so no interleaving of threads, instances or crashes can overspend. Every
 * change appends to the envelope's journal while holding the envelope's row lock, so the hash
 * chain stays a chain. Refusals are {@link Refused} values.
 */
@ApplicationScoped
public class Envelopes {

    private static final String ENVELOPE_COLUMNS = "id, principal, agent, asset, network, budget,"
            + " spent, reserved, per_task_max, revoked_at, not_before, expires_at, parent,"
            + " (revoked_at is null and expires_at is not null and expires_at <= now()) as expired";

    private final DataSource db;
    private final LedgerConfig config;
    private final ReceiptSigner signer;
    private final Clock clock = Clock.systemUTC();

    public Envelopes(DataSource db, LedgerConfig config, ReceiptSigner signer) {
        this.db = db;
        this.config = config;
        this.signer = signer;
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
     * same transaction ({@link Refusal#BUDGET_EXCEEDS_PARENT} when it does not fit).
     */
    public OpenResult open(EnvelopeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return Tx.run(db, "opening envelope " + spec.id(), c -> {
            boolean inserted;
            try (PreparedStatement ps = c.prepareStatement("insert into envelope (id, principal,"
                    + " agent, asset, network, budget, per_task_max, daily_max, skills, not_before,"
                    + " expires_at, parent, recurrence, guard_rate, guard_concurrency, guard_loop,"
                    + " journal_head) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (id) do nothing")) {
                ps.setString(1, spec.id().hex());
                ps.setString(2, spec.principal().lowerHex());
                ps.setString(3, spec.agent().lowerHex());
                ps.setString(4, spec.asset().lowerHex());
                ps.setString(5, spec.network());
                ps.setLong(6, spec.budget());
                ps.setLong(7, spec.perTaskMax());
                ps.setLong(8, spec.limits().dailyMax());
                ps.setArray(9, c.createArrayOf("text", spec.skills().toArray()));
                ps.setTimestamp(10, timestamp(spec.notBefore()));
                ps.setTimestamp(11, timestamp(spec.expiresAt()));
                ps.setString(12, spec.parent() == null ? null : spec.parent().hex());
                ps.setString(13, spec.recurrence() == null ? null
                        : spec.recurrence().name().toLowerCase(java.util.Locale.ROOT));
                setInteger(ps, 14, spec.limits().ratePerMinute());
                setInteger(ps, 15, spec.limits().concurrency());
                setInteger(ps, 16, spec.limits().loopPerMinute());
                ps.setString(17, Bytes32.ZERO.hex());
                inserted = ps.executeUpdate() == 1;
            }
            if (!inserted) {
                Envelope existing = load(c, spec.id()).orElseThrow();
                c.rollback();
                return sameTerms(existing, spec) ? new OpenResult.Opened(existing, false)
                        : Refused.of(Refusal.CONFLICTING_ENVELOPE);
            }
            Instant now = clock.instant();
            if (spec.parent() != null) {
                Optional<Refused> refused = carveOut(c, spec, now);
                if (refused.isPresent()) {
                    c.rollback();
                    return refused.get();
                }
            }
            Head head = new Head(0, Bytes32.ZERO);
            head = append(c, spec.id(), head, Type.OPEN, spec.budget(), Account.FUNDING,
                    Account.AVAILABLE, null, now);
            saveHead(c, spec.id(), head);
            return new OpenResult.Opened(load(c, spec.id()).orElseThrow(), true);
        });
    }

    /** The envelope, or empty if there is none with this id. */
    public Optional<Envelope> find(Bytes32 id) {
        return Tx.run(db, "reading envelope " + id, c -> load(c, id));
    }

    /**
     * The skills the envelope's mandate allows ({@code []} = any), or empty if there is no such
     * envelope: a task draw checks its skill against them before it reserves.
     */
    public Optional<List<String>> skills(Bytes32 id) {
        return Tx.run(db, "reading the skills of " + id, c -> {
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
        return Tx.run(db, "revoking envelope " + id, c -> {
            List<String> family = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("with recursive tree(id, depth) as ("
                    + " select id, 0 from envelope where id = ?"
                    + " union all select e.id, t.depth + 1 from envelope e join tree t"
                    + " on e.parent = t.id) select id from tree order by depth desc, id")) {
                ps.setString(1, id.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        family.add(rs.getString(1));
                    }
                }
            }
            if (family.isEmpty()) {
                c.rollback();
                return Refused.of(Refusal.UNKNOWN_MANDATE);
            }
            Instant now = clock.instant();
            // Leaves first: a child's lock before its parent's, the order captures take too.
            for (String member : family) {
                revokeOne(c, Bytes32.fromHex(member), at, now);
            }
            return new RevokeResult.Revoked(load(c, id).orElseThrow());
        });
    }

    // ---------------------------------------------------------------------------------------
    // Reserve, capture, release

    /**
     * Holds {@code amount} on the envelope for at most {@code ttl}, after the guards. The key
     * makes it exactly-once: the same key again answers the finished draw's receipt
     * ({@link ReserveResult.AlreadyCaptured}), {@link Refusal#IDEMPOTENCY_KEY_IN_FLIGHT} while it
     * is pending, {@link Refusal#IDEMPOTENCY_KEY_REUSED} for another amount. A key whose draw was
     * released or expired (so never paid) may be reserved again.
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
        return Tx.run(db, "reserving on " + envelopeId, c -> {
            Optional<GuardSettings> guards = guardSettings(c, envelopeId);
            if (guards.isEmpty()) {
                c.rollback();
                return Refused.of(Refusal.UNKNOWN_MANDATE);
            }
            GuardSettings g = guards.get();
            boolean guarded = g.rate() > 0 || g.concurrency() > 0;
            long reservationId;
            Instant expiresAt;
            // 1. The key, first: a unique key, so two requests with it never both get past here.
            try (PreparedStatement ps = c.prepareStatement("insert into reservation"
                    + " (envelope_id, idempotency_key, kind, amount, state, expires_at, agent,"
                    + " guarded, context) values (?, ?, 'draw', ?, 'pending', now() + ?::interval,"
                    + " ?, ?, ?::jsonb)"
                    + " on conflict (envelope_id, idempotency_key) do update set"
                    + " amount = excluded.amount, captured = 0, state = 'pending',"
                    + " expires_at = excluded.expires_at, guarded = excluded.guarded,"
                    + " context = excluded.context, created_at = now(), resolved_at = null"
                    + " where reservation.kind = 'draw'"
                    + " and reservation.state in ('released', 'expired')"
                    + " returning id, expires_at")) {
                ps.setString(1, envelopeId.hex());
                ps.setString(2, idempotencyKey.hex());
                ps.setLong(3, amount);
                ps.setString(4, holdFor.toMillis() + " milliseconds");
                ps.setString(5, g.agent());
                ps.setBoolean(6, guarded);
                ps.setString(7, what.toJson().toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        ReserveResult existing = existingDraw(c, envelopeId, idempotencyKey,
                                amount);
                        c.rollback();
                        return existing;
                    }
                    reservationId = rs.getLong(1);
                    expiresAt = rs.getTimestamp(2).toInstant();
                }
            }
            // 2. The agent's guards (rate, concurrency), then loop detection.
            if (guarded) {
                Optional<Refused> refused = admitAgent(c, g);
                if (refused.isPresent()) {
                    c.rollback();
                    return refused.get();
                }
            }
            if (g.loop() > 0) {
                Optional<Refused> refused = admitRepeat(c, g, envelopeId, amount, what);
                if (refused.isPresent()) {
                    c.rollback();
                    return refused.get();
                }
            }
            // 3. The money: the WHERE clause is the invariant.
            Head head;
            try (PreparedStatement ps = c.prepareStatement("update envelope set"
                    + " reserved = reserved + ?,"
                    + " day_used = (case when day_of = " + TODAY + " then day_used else 0 end) + ?,"
                    + " day_of = " + TODAY
                    + " where id = ? and revoked_at is null"
                    + " and (not_before is null or not_before <= now())"
                    + " and (expires_at is null or expires_at > now())"
                    + " and (per_task_max = 0 or ? <= per_task_max)"
                    + " and ? <= budget - spent - reserved"
                    + " and (daily_max = 0 or ? <= daily_max"
                    + "      - (case when day_of = " + TODAY + " then day_used else 0 end))"
                    + " returning journal_seq, journal_head")) {
                ps.setLong(1, amount);
                ps.setLong(2, amount);
                ps.setString(3, envelopeId.hex());
                ps.setLong(4, amount);
                ps.setLong(5, amount);
                ps.setLong(6, amount);
                head = headOf(ps);
            }
            if (head == null) {
                Refused refused = whyNotReservable(c, envelopeId, amount);
                c.rollback();
                return refused;
            }
            head = append(c, envelopeId, head, Type.RESERVE, amount, Account.AVAILABLE,
                    Account.RESERVED, idempotencyKey, clock.instant());
            saveHead(c, envelopeId, head);
            return new ReserveResult.Reserved(new Reservation(reservationId, envelopeId,
                    idempotencyKey, amount, expiresAt));
        });
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
        return Tx.run(db, "capturing reservation " + reservation.id(), c -> {
            Resolved r;
            try (PreparedStatement ps = c.prepareStatement("update reservation set"
                    + " state = 'captured', captured = ?, resolved_at = now()"
                    + " where id = ? and kind = 'draw'"
                    + " and state in ('pending', 'settlement_unknown') and ? <= amount"
                    + " returning " + RESOLVED_COLUMNS)) {
                ps.setLong(1, amount);
                ps.setLong(2, reservation.id());
                ps.setLong(3, amount);
                r = resolved(ps);
            }
            if (r == null) {
                CaptureResult why = whyNotCapturable(c, reservation.id(), amount);
                c.rollback();
                return why;
            }
            uncountAgent(c, r);
            long returned = r.amount() - amount;
            Head head;
            try (PreparedStatement ps = c.prepareStatement("update envelope set"
                    + " reserved = reserved - ?, spent = spent + ?,"
                    + " day_used = case when day_of = ? then greatest(day_used - ?, 0)"
                    + "            else day_used end"
                    + " where id = ? returning journal_seq, journal_head")) {
                ps.setLong(1, r.amount());
                ps.setLong(2, amount);
                ps.setObject(3, r.day());
                ps.setLong(4, returned);
                ps.setString(5, r.envelopeId().hex());
                head = headOf(ps);
            }
            Instant now = clock.instant();
            head = append(c, r.envelopeId(), head, Type.CAPTURE, amount, Account.RESERVED,
                    Account.SPENT, r.key(), now);
            Head captureEntry = head;
            if (returned > 0) {
                head = append(c, r.envelopeId(), head, Type.RELEASE, returned, Account.RESERVED,
                        Account.AVAILABLE, r.key(), now);
            }
            saveHead(c, r.envelopeId(), head);
            if (amount > 0) {
                postOnAncestors(c, r.envelopeId(), amount, now);
            }
            Receipt receipt = signer.sign(r.envelopeId(), amount, r.key(), captureEntry.hash(),
                    now.getEpochSecond());
            try (PreparedStatement ps = c.prepareStatement("insert into receipt (envelope_id,"
                    + " idempotency_key, reservation_id, amount, entry_seq, entry_hash, issued_at,"
                    + " signer, signature) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.envelopeId().hex());
                ps.setString(2, r.key().hex());
                ps.setLong(3, reservation.id());
                ps.setLong(4, amount);
                ps.setLong(5, captureEntry.seq());
                ps.setString(6, captureEntry.hash().hex());
                ps.setLong(7, receipt.issuedAt());
                ps.setString(8, receipt.signer().lowerHex());
                ps.setString(9, receipt.signature());
                ps.executeUpdate();
            }
            return new CaptureResult.Captured(receipt);
        });
    }

    /**
     * Returns a reservation's whole amount to the envelope: the draw failed or will not be paid.
     * Also resolves one whose settlement was unknown, once reconciliation finds it unpaid.
     * Idempotent; a captured reservation is {@link Refusal#RESERVATION_CAPTURED}.
     */
    public ReleaseResult release(Reservation reservation) {
        Optional<Refused> refused = release(reservation.id(), "released", false);
        return refused.isPresent() ? refused.get() : new ReleaseResult.Done(reservation);
    }

    /**
     * Marks a reservation as being settled, outcome unknown until reconciliation: the sweeper
     * then never releases it. Call it before asking a facilitator to settle.
     */
    public ReleaseResult markSettlementUnknown(Reservation reservation) {
        return Tx.<ReleaseResult>run(db, "marking reservation " + reservation.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("update reservation set"
                    + " state = 'settlement_unknown' where id = ? and kind = 'draw'"
                    + " and state in ('pending', 'settlement_unknown')")) {
                ps.setLong(1, reservation.id());
                if (ps.executeUpdate() == 1) {
                    return new ReleaseResult.Done(reservation);
                }
            }
            String state = reservationState(c, reservation.id());
            return Refused.of("captured".equals(state) ? Refusal.RESERVATION_CAPTURED
                    : Refusal.RESERVATION_RELEASED);
        });
    }

    /** The receipt of the captured draw with this key, if there is one. */
    public Optional<Receipt> receipt(Bytes32 envelopeId, Bytes32 idempotencyKey) {
        return Tx.run(db, "reading a receipt", c -> findReceipt(c, envelopeId, idempotencyKey));
    }

    /**
     * A page of the journal after entry {@code after}, with the receipts of the captures in it;
     * empty if there is no such envelope.
     */
    public Optional<LedgerPage> ledger(Bytes32 envelopeId, long after, int limit) {
        int pageSize = Math.max(1, Math.min(limit, 1000));
        return Tx.run(db, "reading the journal of " + envelopeId, c -> {
            if (!exists(c, envelopeId)) {
                return Optional.<LedgerPage>empty();
            }
            List<JournalEntry> entries = new ArrayList<>();
            Long next = null;
            try (PreparedStatement ps = c.prepareStatement("select doc, hash from journal_entry"
                    + " where envelope_id = ? and seq > ? order by seq limit ?")) {
                ps.setString(1, envelopeId.hex());
                ps.setLong(2, Math.max(0, after));
                ps.setInt(3, pageSize + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (entries.size() == pageSize) {
                            next = entries.get(entries.size() - 1).seq();
                            break;
                        }
                        entries.add(entryOf(rs));
                    }
                }
            }
            List<Receipt> receipts = new ArrayList<>();
            if (!entries.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("select " + RECEIPT_COLUMNS
                        + " from receipt where envelope_id = ? and entry_seq between ? and ?"
                        + " order by entry_seq")) {
                    ps.setString(1, envelopeId.hex());
                    ps.setLong(2, entries.get(0).seq());
                    ps.setLong(3, entries.get(entries.size() - 1).seq());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            receipts.add(receiptOf(rs));
                        }
                    }
                }
            }
            return Optional.of(new LedgerPage(entries, receipts, next));
        });
    }

    /** Captured spend by skill, provider and day; empty if there is no such envelope. */
    public Optional<SpendReport> report(Bytes32 envelopeId) {
        return Tx.run(db, "reporting on " + envelopeId, c -> {
            Optional<Envelope> envelope = load(c, envelopeId);
            if (envelope.isEmpty()) {
                return Optional.<SpendReport>empty();
            }
            Envelope e = envelope.get();
            String terminatedBy = e.status() == Envelope.Status.ACTIVE ? null : e.status().wire();
            List<SpendReport.Line> bySkill = lines(c, envelopeId,
                    "coalesce(context->>'skill', 'direct')");
            List<SpendReport.Line> byProvider = lines(c, envelopeId,
                    "coalesce(context->>'provider', 'none')");
            List<SpendReport.Line> byDay = lines(c, envelopeId,
                    "to_char(resolved_at at time zone 'UTC', 'YYYY-MM-DD')");
            long draws = byDay.stream().mapToLong(SpendReport.Line::draws).sum();
            return Optional.of(new SpendReport(envelopeId, e.budget(), e.spent(), e.reserved(),
                    draws, bySkill, byProvider, byDay, terminatedBy));
        });
    }

    /** Whether a draw of {@code amount} would pass the envelope's own checks now; reserves nothing. */
    public Optional<Quote> quote(Bytes32 envelopeId, long amount) {
        return Tx.run(db, "quoting on " + envelopeId, c -> {
            Optional<Envelope> envelope = load(c, envelopeId);
            if (envelope.isEmpty()) {
                return Optional.<Quote>empty();
            }
            long remaining = envelope.get().remaining();
            Refused why = whyNotReservable(c, envelopeId, amount);
            boolean fits = amount <= remaining && why.reason() == Refusal.INSUFFICIENT_BUDGET;
            return Optional.of(new Quote(envelopeId, amount, remaining,
                    fits ? null : why.reason()));
        });
    }

    private static List<SpendReport.Line> lines(Connection c, Bytes32 envelopeId, String key)
            throws SQLException {
        List<SpendReport.Line> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + key + ", sum(captured),"
                + " count(*) from reservation where envelope_id = ? and kind = 'draw'"
                + " and state = 'captured' group by 1 order by 1")) {
            ps.setString(1, envelopeId.hex());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(new SpendReport.Line(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return lines;
    }

    // ---------------------------------------------------------------------------------------
    // The sweeper's part

    /**
     * Releases up to {@code max} pending draws past their TTL, each in its own transaction and
     * each conditional on still being pending and expired, so instances sweeping together, or a
     * capture racing the sweep, resolve each reservation exactly once. Draws whose settlement
     * outcome is unknown are not pending and so never swept.
     *
     * @return how many it released
     */
    int sweepExpired(int max) {
        List<Long> due = Tx.run(db, "finding expired reservations", c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id from reservation"
                    + " where state = 'pending' and kind = 'draw' and expires_at <= now()"
                    + " order by expires_at limit ?")) {
                ps.setInt(1, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("delete from request_fingerprint"
                    + " where window_start < now() - interval '2 minutes'")) {
                ps.executeUpdate();
            }
            return ids;
        });
        int released = 0;
        for (long id : due) {
            if (release(id, "expired", true).isEmpty()) {
                released++;
            }
        }
        return released;
    }

    // ---------------------------------------------------------------------------------------
    // Internals

    /** UTC today, whatever the session's time zone. */
    private static final String TODAY = "(now() at time zone 'UTC')::date";

    private static final String RESOLVED_COLUMNS = "envelope_id, idempotency_key, amount, agent,"
            + " guarded, (created_at at time zone 'UTC')::date";

    private static final String RECEIPT_COLUMNS = "envelope_id, amount, idempotency_key,"
            + " entry_hash, issued_at, signer, signature";

    /** The envelope's journal head: the last entry's seq and hash. */
    private record Head(long seq, Bytes32 hash) {
    }

    /** A reservation just moved out of pending, with what its end must undo. */
    private record Resolved(Bytes32 envelopeId, Bytes32 key, long amount, String agent,
            boolean guarded, java.sql.Date day) {
    }

    /** The guard settings that apply to an envelope's draws, overrides over defaults. */
    private record GuardSettings(String agent, int rate, int concurrency, int loop) {
    }

    /**
     * Releases reservation {@code id} into {@code target} ("released" or "expired"). Empty when
     * it is (now or already) released; a refusal when it was captured.
     */
    private Optional<Refused> release(long id, String target, boolean onlyIfExpired) {
        return Tx.run(db, "releasing reservation " + id, c -> {
            Resolved r;
            try (PreparedStatement ps = c.prepareStatement("update reservation set"
                    + " state = ?, resolved_at = now() where id = ? and kind = 'draw'"
                    + (onlyIfExpired ? " and state = 'pending' and expires_at <= now()"
                            : " and state in ('pending', 'settlement_unknown')")
                    + " returning " + RESOLVED_COLUMNS)) {
                ps.setString(1, target);
                ps.setLong(2, id);
                r = resolved(ps);
            }
            if (r == null) {
                String state = reservationState(c, id);
                c.rollback();
                if ("captured".equals(state)) {
                    return Optional.of(Refused.of(Refusal.RESERVATION_CAPTURED));
                }
                // Released or expired already (or, for the sweeper, no longer due): nothing to do.
                return onlyIfExpired ? Optional.of(Refused.of(Refusal.RESERVATION_RELEASED))
                        : Optional.<Refused>empty();
            }
            uncountAgent(c, r);
            Head head;
            try (PreparedStatement ps = c.prepareStatement("update envelope set"
                    + " reserved = reserved - ?,"
                    + " day_used = case when day_of = ? then greatest(day_used - ?, 0)"
                    + "            else day_used end"
                    + " where id = ? returning journal_seq, journal_head")) {
                ps.setLong(1, r.amount());
                ps.setObject(2, r.day());
                ps.setLong(3, r.amount());
                ps.setString(4, r.envelopeId().hex());
                head = headOf(ps);
            }
            head = append(c, r.envelopeId(), head, Type.RELEASE, r.amount(), Account.RESERVED,
                    Account.AVAILABLE, r.key(), clock.instant());
            saveHead(c, r.envelopeId(), head);
            return Optional.<Refused>empty();
        });
    }

    private static void uncountAgent(Connection c, Resolved r) throws SQLException {
        if (!r.guarded()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update agent_guard set in_flight = in_flight - 1 where agent = ?")) {
            ps.setString(1, r.agent());
            ps.executeUpdate();
        }
    }

    private Optional<GuardSettings> guardSettings(Connection c, Bytes32 envelopeId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select agent, guard_rate,"
                + " guard_concurrency, guard_loop from envelope where id = ?")) {
            ps.setString(1, envelopeId.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                LedgerConfig.Guard defaults = config.guard();
                return Optional.of(new GuardSettings(rs.getString(1),
                        orDefault(rs, 2, defaults.rate()), orDefault(rs, 3, defaults.concurrency()),
                        orDefault(rs, 4, defaults.loop())));
            }
        }
    }

    private static int orDefault(ResultSet rs, int column, int fallback) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? fallback : value;
    }

    /**
     * Rate (a fixed one-minute window) and concurrency, both in one conditional UPDATE of the
     * agent's row; the row lock serializes the agent's reservations across instances.
     */
    private static Optional<Refused> admitAgent(Connection c, GuardSettings g)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into agent_guard (agent)"
                + " values (?) on conflict (agent) do nothing")) {
            ps.setString(1, g.agent());
            ps.executeUpdate();
        }
        String fresh = "window_start <= now() - interval '1 minute'";
        try (PreparedStatement ps = c.prepareStatement("update agent_guard set"
                + " window_count = case when " + fresh + " then 1 else window_count + 1 end,"
                + " window_start = case when " + fresh + " then now() else window_start end,"
                + " in_flight = in_flight + 1"
                + " where agent = ?"
                + " and (? = 0 or (case when " + fresh + " then 0 else window_count end) < ?)"
                + " and (? = 0 or in_flight < ?)")) {
            ps.setString(1, g.agent());
            ps.setInt(2, g.rate());
            ps.setInt(3, g.rate());
            ps.setInt(4, g.concurrency());
            ps.setInt(5, g.concurrency());
            if (ps.executeUpdate() == 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select in_flight,"
                + " greatest(1, ceil(extract(epoch from window_start + interval '1 minute'"
                + " - now())))::bigint from agent_guard where agent = ?")) {
            ps.setString(1, g.agent());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (g.concurrency() > 0 && rs.getInt(1) >= g.concurrency()) {
                    return Optional.of(new Refused(Refusal.TOO_MANY_CONCURRENT,
                            "at most " + g.concurrency() + " payments in flight per agent", 1));
                }
                return Optional.of(new Refused(Refusal.RATE_LIMITED,
                        "at most " + g.rate() + " reservations per minute per agent",
                        rs.getLong(2)));
            }
        }
    }

    /** Loop detection: the same envelope, amount and memo/skill, counted per agent per minute. */
    private static Optional<Refused> admitRepeat(Connection c, GuardSettings g,
            Bytes32 envelopeId, long amount, DrawContext what) throws SQLException {
        String print = Sha256.hash((envelopeId.hex() + "|" + amount + "|" + what.skill() + "|"
                + what.provider() + "|" + what.memo()).getBytes(StandardCharsets.UTF_8)).hex();
        String stale = "request_fingerprint.window_start <= now() - interval '1 minute'";
        try (PreparedStatement ps = c.prepareStatement("insert into request_fingerprint"
                + " (agent, fingerprint, window_start, count) values (?, ?, now(), 1)"
                + " on conflict (agent, fingerprint) do update set"
                + " count = case when " + stale + " then 1 else request_fingerprint.count + 1 end,"
                + " window_start = case when " + stale + " then now()"
                + "                else request_fingerprint.window_start end"
                + " where (case when " + stale + " then 0 else request_fingerprint.count end) < ?")) {
            ps.setString(1, g.agent());
            ps.setString(2, print);
            ps.setInt(3, g.loop());
            if (ps.executeUpdate() == 1) {
                return Optional.empty();
            }
        }
        return Optional.of(new Refused(Refusal.LOOP_DETECTED, "the same request was repeated "
                + g.loop() + " times this minute", 60));
    }

    /** The answer to a key that is already taken and not re-armable. */
    private ReserveResult existingDraw(Connection c, Bytes32 envelopeId, Bytes32 key,
            long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select kind, amount, state,"
                + " case when kind = 'draw' then"
                + "   greatest(1, ceil(extract(epoch from expires_at - now())))::bigint else 0 end"
                + " from reservation where envelope_id = ? and idempotency_key = ?")) {
            ps.setString(1, envelopeId.hex());
            ps.setString(2, key.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    // Gone between the insert and this read: impossible, rows are never deleted.
                    throw new IllegalStateException("reservation vanished: " + key);
                }
                if (!"draw".equals(rs.getString(1)) || rs.getLong(2) != amount) {
                    return Refused.of(Refusal.IDEMPOTENCY_KEY_REUSED);
                }
                String state = rs.getString(3);
                if ("captured".equals(state)) {
                    return new ReserveResult.AlreadyCaptured(
                            findReceipt(c, envelopeId, key).orElseThrow());
                }
                return new Refused(Refusal.IDEMPOTENCY_KEY_IN_FLIGHT, null, rs.getLong(4));
            }
        }
    }

    /** Diagnoses a refused reservation; only called after the conditional UPDATE matched none. */
    private static Refused whyNotReservable(Connection c, Bytes32 envelopeId, long amount)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select revoked_at is not null,"
                + " not_before is not null and not_before > now(),"
                + " expires_at is not null and expires_at <= now(),"
                + " per_task_max <> 0 and ? > per_task_max,"
                + " daily_max <> 0 and ? > daily_max"
                + "   - (case when day_of = " + TODAY + " then day_used else 0 end)"
                + " from envelope where id = ?")) {
            ps.setLong(1, amount);
            ps.setLong(2, amount);
            ps.setString(3, envelopeId.hex());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Refused.of(Refusal.REVOKED);
                }
                if (rs.getBoolean(2)) {
                    return Refused.of(Refusal.NOT_YET_VALID);
                }
                if (rs.getBoolean(3)) {
                    return Refused.of(Refusal.EXPIRED);
                }
                if (rs.getBoolean(4)) {
                    return Refused.of(Refusal.REQUEST_TOO_EXPENSIVE);
                }
                if (rs.getBoolean(5)) {
                    return Refused.of(Refusal.DAILY_LIMIT_EXCEEDED);
                }
                return Refused.of(Refusal.INSUFFICIENT_BUDGET);
            }
        }
    }

    private CaptureResult whyNotCapturable(Connection c, long reservationId, long amount)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select state, amount, captured,"
                + " envelope_id, idempotency_key, kind from reservation where id = ?")) {
            ps.setLong(1, reservationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !"draw".equals(rs.getString(6))) {
                    return Refused.of(Refusal.RESERVATION_RELEASED, "no such reservation");
                }
                String state = rs.getString(1);
                if ("captured".equals(state)) {
                    if (rs.getLong(3) == amount) {
                        return new CaptureResult.Captured(findReceipt(c,
                                Bytes32.fromHex(rs.getString(4)),
                                Bytes32.fromHex(rs.getString(5))).orElseThrow());
                    }
                    return Refused.of(Refusal.RESERVATION_CAPTURED);
                }
                if (amount > rs.getLong(2)) {
                    return Refused.of(Refusal.CAPTURE_EXCEEDS_RESERVATION);
                }
                return Refused.of(Refusal.RESERVATION_RELEASED);
            }
        }
    }

    /**
     * A capture on a child is spent on every ancestor too: the carve-out reservation on the
     * parent is captured by the same amount (never past what was carved), and so up the tree.
     */
    private void postOnAncestors(Connection c, Bytes32 childId, long amount, Instant now)
            throws SQLException {
        Bytes32 child = childId;
        Optional<Bytes32> parent = parentOf(c, child);
        while (parent.isPresent()) {
            Bytes32 p = parent.get();
            try (PreparedStatement ps = c.prepareStatement("update reservation set"
                    + " captured = captured + ? where envelope_id = ? and idempotency_key = ?"
                    + " and kind = 'carve_out' and ? <= amount - captured")) {
                ps.setLong(1, amount);
                ps.setString(2, p.hex());
                ps.setString(3, child.hex());
                ps.setLong(4, amount);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("child " + child + " spent past its carve-out");
                }
            }
            Head head;
            try (PreparedStatement ps = c.prepareStatement("update envelope set"
                    + " reserved = reserved - ?, spent = spent + ? where id = ?"
                    + " returning journal_seq, journal_head")) {
                ps.setLong(1, amount);
                ps.setLong(2, amount);
                ps.setString(3, p.hex());
                head = headOf(ps);
            }
            head = append(c, p, head, Type.CAPTURE, amount, Account.RESERVED, Account.SPENT,
                    child, now);
            saveHead(c, p, head);
            child = p;
            parent = parentOf(c, p);
        }
    }

    /**
     * Reserves a new child's budget on its parent (the carve-out), after checking that the
     * child narrows it: same asset, no later expiry, skills within the parent's.
     */
    private Optional<Refused> carveOut(Connection c, EnvelopeSpec spec, Instant now)
            throws SQLException {
        Bytes32 parentId = spec.parent();
        String parentAgent;
        try (PreparedStatement ps = c.prepareStatement("select asset, expires_at, skills, agent"
                + " from envelope where id = ?")) {
            ps.setString(1, parentId.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of(Refused.of(Refusal.UNKNOWN_MANDATE, "no such parent"));
                }
                Timestamp parentExpiry = rs.getTimestamp(2);
                List<String> parentSkills = Arrays.asList((String[]) rs.getArray(3).getArray());
                boolean narrows = rs.getString(1).equals(spec.asset().lowerHex())
                        && (parentExpiry == null || (spec.expiresAt() != null
                                && !spec.expiresAt().isAfter(parentExpiry.toInstant())))
                        && (parentSkills.isEmpty() || (!spec.skills().isEmpty()
                                && new HashSet<>(parentSkills).containsAll(spec.skills())));
                if (!narrows) {
                    return Optional.of(Refused.of(Refusal.SCOPE_WIDENS_PARENT));
                }
                parentAgent = rs.getString(4);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into reservation (envelope_id,"
                + " idempotency_key, kind, amount, state, expires_at, agent)"
                + " values (?, ?, 'carve_out', ?, 'pending', 'infinity', ?)")) {
            ps.setString(1, parentId.hex());
            ps.setString(2, spec.id().hex());
            ps.setLong(3, spec.budget());
            ps.setString(4, parentAgent);
            ps.executeUpdate();
        }
        Head head;
        try (PreparedStatement ps = c.prepareStatement("update envelope set"
                + " reserved = reserved + ? where id = ? and revoked_at is null"
                + " and (expires_at is null or expires_at > now())"
                + " and ? <= budget - spent - reserved returning journal_seq, journal_head")) {
            ps.setLong(1, spec.budget());
            ps.setString(2, parentId.hex());
            ps.setLong(3, spec.budget());
            head = headOf(ps);
        }
        if (head == null) {
            Refused why = whyNotReservable(c, parentId, spec.budget());
            return Optional.of(why.reason() == Refusal.INSUFFICIENT_BUDGET
                    ? Refused.of(Refusal.BUDGET_EXCEEDS_PARENT) : why);
        }
        head = append(c, parentId, head, Type.CARVE_OUT, spec.budget(), Account.AVAILABLE,
                Account.RESERVED, spec.id(), now);
        saveHead(c, parentId, head);
        return Optional.empty();
    }

    /** Revokes one envelope; its children were revoked before it in the same transaction. */
    private void revokeOne(Connection c, Bytes32 id, Instant at, Instant now)
            throws SQLException {
        // Pending draws first (reservation rows before the envelope row, as captures lock).
        List<Resolved> released = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("update reservation set"
                + " state = 'released', resolved_at = now() where envelope_id = ?"
                + " and kind = 'draw' and state = 'pending' returning " + RESOLVED_COLUMNS)) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    released.add(resolvedOf(rs));
                }
            }
        }
        for (Resolved r : released) {
            uncountAgent(c, r);
        }
        long releasedTotal = released.stream().mapToLong(Resolved::amount)
                .reduce(0, Math::addExact);
        Head head;
        long budget;
        long spent;
        long reserved;
        String parent;
        try (PreparedStatement ps = c.prepareStatement("update envelope set"
                + " revoked_at = coalesce(revoked_at, ?), reserved = reserved - ?"
                + " where id = ? returning journal_seq, journal_head, budget, spent, reserved,"
                + " parent")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setLong(2, releasedTotal);
            ps.setString(3, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                head = new Head(rs.getLong(1), Bytes32.fromHex(rs.getString(2)));
                budget = rs.getLong(3);
                spent = rs.getLong(4);
                reserved = rs.getLong(5);
                parent = rs.getString(6);
            }
        }
        for (Resolved r : released) {
            head = append(c, id, head, Type.RELEASE, r.amount(), Account.RESERVED,
                    Account.AVAILABLE, r.key(), now);
        }
        long rest = budget - spent - reserved;
        if (parent != null && rest > 0) {
            // The child's unspent, unreserved budget goes back to its parent.
            try (PreparedStatement ps = c.prepareStatement("update envelope set budget = budget - ?"
                    + " where id = ?")) {
                ps.setLong(1, rest);
                ps.setString(2, id.hex());
                ps.executeUpdate();
            }
            head = append(c, id, head, Type.CARVE_RETURN, rest, Account.AVAILABLE,
                    Account.FUNDING, null, now);
            Bytes32 parentId = Bytes32.fromHex(parent);
            try (PreparedStatement ps = c.prepareStatement("update reservation set"
                    + " amount = amount - ?,"
                    + " state = case when amount - ? = captured then 'captured' else state end"
                    + " where envelope_id = ? and idempotency_key = ? and kind = 'carve_out'"
                    + " and amount - ? >= captured")) {
                ps.setLong(1, rest);
                ps.setLong(2, rest);
                ps.setString(3, parent);
                ps.setString(4, id.hex());
                ps.setLong(5, rest);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("carve-out of " + id + " is inconsistent");
                }
            }
            Head parentHead;
            try (PreparedStatement ps = c.prepareStatement("update envelope set"
                    + " reserved = reserved - ? where id = ? returning journal_seq, journal_head")) {
                ps.setLong(1, rest);
                ps.setString(2, parent);
                parentHead = headOf(ps);
            }
            parentHead = append(c, parentId, parentHead, Type.CARVE_RETURN, rest,
                    Account.RESERVED, Account.AVAILABLE, id, now);
            saveHead(c, parentId, parentHead);
        }
        saveHead(c, id, head);
    }

    private Optional<Envelope> load(Connection c, Bytes32 id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENVELOPE_COLUMNS
                + " from envelope where id = ?")) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<Bytes32> children = new ArrayList<>();
                try (PreparedStatement kids = c.prepareStatement(
                        "select id from envelope where parent = ? order by created_at, id")) {
                    kids.setString(1, id.hex());
                    try (ResultSet k = kids.executeQuery()) {
                        while (k.next()) {
                            children.add(Bytes32.fromHex(k.getString(1)));
                        }
                    }
                }
                long budget = rs.getLong("budget");
                long spent = rs.getLong("spent");
                Envelope.Status status = rs.getTimestamp("revoked_at") != null
                        ? Envelope.Status.REVOKED
                        : rs.getBoolean("expired") ? Envelope.Status.EXPIRED
                        : spent == budget ? Envelope.Status.EXHAUSTED : Envelope.Status.ACTIVE;
                String parent = rs.getString("parent");
                return Optional.of(new Envelope(id, Address.of(rs.getString("principal")),
                        Address.of(rs.getString("agent")), Address.of(rs.getString("asset")),
                        rs.getString("network"), budget, spent, rs.getLong("reserved"),
                        rs.getLong("per_task_max"), status, instant(rs, "not_before"),
                        instant(rs, "expires_at"),
                        parent == null ? null : Bytes32.fromHex(parent), children));
            }
        }
    }

    private static boolean sameTerms(Envelope existing, EnvelopeSpec spec) {
        // The budget of a revoked child shrinks to what it spent; compare the signed terms only.
        return existing.principal().equals(spec.principal())
                && existing.agent().equals(spec.agent())
                && existing.asset().equals(spec.asset())
                && Objects.equals(existing.parent(), spec.parent())
                && (existing.budget() == spec.budget()
                        || existing.status() == Envelope.Status.REVOKED);
    }

    private static boolean exists(Connection c, Bytes32 id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from envelope where id = ?")) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<Bytes32> parentOf(Connection c, Bytes32 id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select parent from envelope where id = ?")) {
            ps.setString(1, id.hex());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String parent = rs.getString(1);
                return parent == null ? Optional.empty() : Optional.of(Bytes32.fromHex(parent));
            }
        }
    }

    private static String reservationState(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select state from reservation where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Optional<Receipt> findReceipt(Connection c, Bytes32 envelopeId, Bytes32 key)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + RECEIPT_COLUMNS
                + " from receipt where envelope_id = ? and idempotency_key = ?")) {
            ps.setString(1, envelopeId.hex());
            ps.setString(2, key.hex());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(receiptOf(rs)) : Optional.empty();
            }
        }
    }

    private static Receipt receiptOf(ResultSet rs) throws SQLException {
        return new Receipt(Bytes32.fromHex(rs.getString(1)), rs.getLong(2),
                Bytes32.fromHex(rs.getString(3)), Bytes32.fromHex(rs.getString(4)), rs.getLong(5),
                Address.of(rs.getString(6)), rs.getString(7));
    }

    private static JournalEntry entryOf(ResultSet rs) throws SQLException {
        ObjectNode json;
        try {
            json = (ObjectNode) JSON.readTree(rs.getString(1));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a journal entry's doc is not JSON", e);
        }
        json.put("hash", rs.getString(2));
        return JournalEntry.fromJson(json);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Appends one entry after {@code head} and answers the new head. */
    private static Head append(Connection c, Bytes32 envelopeId, Head head, Type type,
            long amount, Account debit, Account credit, Bytes32 key, Instant at)
            throws SQLException {
        JournalEntry entry = JournalEntry.next(head.seq() + 1, type, amount, debit, credit, key,
                at, head.hash());
        try (PreparedStatement ps = c.prepareStatement("insert into journal_entry (envelope_id,"
                + " seq, type, amount, debit, credit, idempotency_key, doc, prev_hash, hash)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, envelopeId.hex());
            ps.setLong(2, entry.seq());
            ps.setString(3, type.wire());
            ps.setLong(4, amount);
            ps.setString(5, debit.wire());
            ps.setString(6, credit.wire());
            ps.setString(7, key == null ? null : key.hex());
            ps.setString(8, Jcs.canonicalize(entry.body()));
            ps.setString(9, entry.prevHash().hex());
            ps.setString(10, entry.hash().hex());
            ps.executeUpdate();
        }
        return new Head(entry.seq(), entry.hash());
    }

    private static void saveHead(Connection c, Bytes32 envelopeId, Head head) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update envelope set journal_seq = ?, journal_head = ? where id = ?")) {
            ps.setLong(1, head.seq());
            ps.setString(2, head.hash().hex());
            ps.setString(3, envelopeId.hex());
            ps.executeUpdate();
        }
    }

    /** The head returned by an UPDATE … RETURNING journal_seq, journal_head; null if no row. */
    private static Head headOf(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Head(rs.getLong(1), Bytes32.fromHex(rs.getString(2))) : null;
        }
    }

    private static Resolved resolved(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? resolvedOf(rs) : null;
        }
    }

    private static Resolved resolvedOf(ResultSet rs) throws SQLException {
        return new Resolved(Bytes32.fromHex(rs.getString(1)), Bytes32.fromHex(rs.getString(2)),
                rs.getLong(3), rs.getString(4), rs.getBoolean(5), rs.getDate(6));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
