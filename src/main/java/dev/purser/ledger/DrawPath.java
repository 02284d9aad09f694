package dev.purser.ledger;

import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The draw path behind {@link Envelopes}: reserve, one-phase draw, capture and release, each
 * checked here, run by the SQL functions (V11) in a {@link DrawBatcher} batch, and its outcome
 * code turned into a result; receipts are signed after commit ({@link Receipts}). Also marks a
 * draw's settlement unknown and sweeps expired reservations.
 */
final class DrawPath {

    private final DataSource db;
    private final LedgerConfig config;
    private final DrawBatcher batcher;
    private final Receipts receipts;

    DrawPath(DataSource db, LedgerConfig config, DrawBatcher batcher, Receipts receipts) {
        this.db = db;
        this.config = config;
        this.batcher = batcher;
        this.receipts = receipts;
    }

    /** {@link Envelopes#reserve}. */
    ReserveResult reserve(Bytes32 envelopeId, long amount, Bytes32 idempotencyKey, Duration ttl,
            DrawContext context) {
        Optional<Refused> invalid = invalidDraw(envelopeId, idempotencyKey, amount);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        DrawContext what = context == null ? DrawContext.NONE : context;
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

    /** {@link Envelopes#draw}. */
    CaptureResult draw(Bytes32 envelopeId, long amount, Bytes32 idempotencyKey,
            DrawContext context) {
        Optional<Refused> invalid = invalidDraw(envelopeId, idempotencyKey, amount);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        DrawContext what = context == null ? DrawContext.NONE : context;
        DrawBatcher.Outcome o = batcher.submit(DrawBatcher.Op.draw(envelopeId, idempotencyKey,
                amount, config.reservationTtl().toMillis(), what.toJson().toString(),
                fingerprint(envelopeId, amount, what)));
        return captured(o, amount);
    }

    /** {@link Envelopes#capture}. */
    CaptureResult capture(Reservation reservation, long amount) {
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

    /** {@link Envelopes#release}. */
    ReleaseResult release(Reservation reservation) {
        DrawBatcher.Outcome o = batcher.submit(DrawBatcher.Op.release(reservation.envelopeId(),
                reservation.id(), false));
        return "reservation_captured".equals(o.code()) ? refused(o)
                : new ReleaseResult.Done(reservation);
    }

    /** {@link Envelopes#markSettlementUnknown}. */
    ReleaseResult markSettlementUnknown(Reservation reservation) {
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

    /** {@link Envelopes#attribute}. */
    void attribute(Reservation reservation, String provider) {
        LedgerTransaction.<Integer>run(db, "attributing reservation " + reservation.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("update reservation set context ="
                    + " context || jsonb_build_object('provider', ?::text) where id = ?"
                    + " and state in ('pending', 'settlement_unknown')")) {
                ps.setString(1, provider);
                ps.setLong(2, reservation.id());
                return ps.executeUpdate();
            }
        });
    }

    /** {@link Envelopes#receipt}. */
    Optional<Receipt> receipt(Bytes32 envelopeId, Bytes32 idempotencyKey) {
        return LedgerTransaction.run(db, "reading a receipt",
                c -> receipts.find(c, envelopeId, idempotencyKey));
    }

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

    /** Checks a draw's arguments: a null id or key is a bug; a non-positive amount a refusal. */
    private static Optional<Refused> invalidDraw(Bytes32 envelopeId, Bytes32 idempotencyKey,
            long amount) {
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return amount > 0 ? Optional.empty()
                : Optional.of(Refused.of(Refusal.INVALID_AMOUNT, "a draw is a positive amount"));
    }

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
