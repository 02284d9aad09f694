package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Es256;
import dev.purser.crypto.SdJwt;
import dev.purser.crypto.TokenParse;
import dev.purser.money.Amount;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The AP2 v0.2 form (ap2.md §2, §3): an issuer-signed open payment mandate, mapped onto the same
 * envelope as an EIP-712 mandate.
 *
 * <p>Trust. Purser has no PKI for AP2 issuers, so the issuer is self-certifying, like an Ethereum
 * principal: the key that verifies the token's signature (the JWS header's {@code jwk}, or the
 * body's {@code issuerJwk} when the header only names a {@code kid}) is the principal, named by
 * its RFC 7638 thumbprint. Anyone can sign a mandate, but only over their own money; a forged
 * token fails the signature or names the forger.
 *
 * <p>Units (ap2.md §2.2 "units trap"): {@code payment.budget.max} is a JSON number in major units
 * and {@code payment.amount_range.max} integer minor units; with Purser's policy 1 USD = 1 USDC,
 * both become USDC atomic units at once, exactly, with no floating point.
 */
final class Ap2Mandates {

    static final String VCT = "mandate.payment.open.1";

    private static final String CONTENT = "delegate_payload[0]";

    private static final String USD = "USD";

    /** USD has cents: more fractional digits in a budget are a mistake, not a rounding matter. */
    private static final int USD_FRACTION_DIGITS = 2;

    /** USDC atomic units per USD (10^6) and per cent (10^4). */
    private static final int ATOMIC_PER_MAJOR_DIGITS = 6;

    static final BigInteger ATOMIC_PER_CENT = BigInteger.TEN.pow(4);

    static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** 9999-12-31T23:59:59Z, the schemas' bound on unix seconds. */
    static final BigInteger LAST_SECOND = BigInteger.valueOf(253402300799L);

    /** Members of the open mandate Purser evaluates; any other pre-set property is refused. */
    private static final Set<String> KNOWN_MEMBERS =
            Set.of("vct", "constraints", "cnf", "iat", "nbf", "exp");

    private Ap2Mandates() {
    }

    static Mandate read(JsonNode body, MandatePolicy policy, Instant now,
            MandateSchemas schemas) {
        List<String> hops = SdJwt.splitChain(body.get("sdJwt").textValue());
        SdJwt root = parse(hops.getFirst(), "sdJwt");
        if ("kb+sd-jwt".equals(root.jwt().type())) {
            throw new Refuse(MandateRefusal.Reason.INVALID, "sdJwt",
                    "sdJwt is a closed mandate (kb+sd-jwt): register the open mandate; closed "
                            + "mandates are draws");
        }
        if (root.claims().has("sd_hash")) {
            throw new Refuse(MandateRefusal.Reason.INVALID, "sdJwt",
                    "sdJwt's first hop is a delegated hop (sd_hash): present a child mandate as "
                            + "the chain from its root, <root>~~<child>");
        }
        Party.P256Key issuer = issuerKey(root.jwt().header().get("jwk"), body.get("issuerJwk"));
        switch (root.jwt().verifyEs256(issuer.jwk())) {
            case VALID -> {
            }
            case INVALID_SIGNATURE -> throw new Refuse(MandateRefusal.Reason.SIGNATURE_MISMATCH,
                    "sdJwt", "sdJwt's signature does not verify with the issuer key "
                            + issuer.id());
            case MALFORMED_SIGNATURE -> throw new Refuse(
                    MandateRefusal.Reason.SIGNATURE_MALFORMED, "sdJwt",
                    "sdJwt's signature is not a 64-byte ES256 r||s with r, s in [1, n)");
            case INVALID_KEY -> throw new Refuse(MandateRefusal.Reason.INVALID, "issuerJwk",
                    "the issuer key is not a P-256 public key on the curve");
            case WRONG_ALGORITHM -> throw new Refuse(MandateRefusal.Reason.INVALID, "sdJwt",
                    "sdJwt's header alg must be ES256");
        }
        // A chain registers its last hop; each hop before it is verified as the link it is
        // (Delegate SD-JWT), and the one just before it is the parent, whose envelope the
        // registry carves the child out of.
        SdJwt hop = root;
        Party principal = issuer;
        Optional<Bytes32> parent = Optional.empty();
        for (int i = 1; i < hops.size(); i++) {
            Party.P256Key holder = terms(content(hop, at(i - 1)), schemas).agent;
            SdJwt next = parse(hops.get(i), at(i));
            switch (Ap2Hops.link(hop, holder, next, Ap2Hops.INTERMEDIATE)) {
                case LINKED -> {
                }
                case WRONG_TYPE -> throw new Refuse(MandateRefusal.Reason.INVALID, at(i),
                        at(i) + " must be a child open mandate, typ " + Ap2Hops.INTERMEDIATE);
                case WRONG_SIGNER -> throw new Refuse(MandateRefusal.Reason.SIGNATURE_MISMATCH,
                        at(i), at(i) + " is not signed (ES256) by the cnf key of the hop before "
                                + "it, " + holder.id());
                case UNBOUND -> throw new Refuse(MandateRefusal.Reason.SIGNATURE_MISMATCH,
                        at(i) + ".sd_hash", at(i) + ".sd_hash does not bind it to the hop "
                                + "before it");
            }
            principal = holder;
            parent = Optional.of(Ap2Hops.id(hop));
            hop = next;
        }
        return mandate(hop, principal, parent, policy, now, schemas, body);
    }

    /** The mandate the chain's last hop {@code hop} is, signed by {@code principal}. */
    private static Mandate mandate(SdJwt hop, Party principal, Optional<Bytes32> parent,
            MandatePolicy policy, Instant now, MandateSchemas schemas, JsonNode body) {
        JsonNode claims = hop.claims();
        Terms terms = terms(content(hop, ""), schemas);
        // The token's own time claims, if the issuer put them outside the mandate, bind too.
        Instant notBefore = latest(terms.notBefore, seconds(claims, "nbf"));
        Instant expiresAt = earliest(terms.expiresAt, seconds(claims, "exp"))
                .orElseThrow(() -> new Refuse(MandateRefusal.Reason.INVALID, CONTENT + ".exp",
                        CONTENT + ".exp is required (or payment.execution_date.not_after): an "
                                + "open mandate must expire"));
        Validity.check(notBefore, expiresAt, now, CONTENT + ".nbf", CONTENT + ".exp");

        // One signed mandate is one envelope, whichever disclosures a presenter includes or
        // withholds: the id covers the signed JWS only.
        return new Mandate(Ap2Hops.id(hop), MandateForm.AP2_SD_JWT, principal,
                terms.agent, policy.asset(), terms.budget,
                terms.perTaskMax, terms.skills, notBefore, expiresAt, parent,
                Optional.empty(), terms.recurrence, terms.payees, terms.instruments, body);
    }

    private static String at(int hop) {
        return "sdJwt[" + hop + "]";
    }

    private static SdJwt parse(String token, String field) {
        return switch (SdJwt.parse(token)) {
            case TokenParse.Parsed<SdJwt> parsed -> parsed.value();
            case TokenParse.Refused<SdJwt> refused -> throw new Refuse(
                    MandateRefusal.Reason.INVALID, field,
                    field + " is not a valid SD-JWT: " + refused.reason() + ", "
                            + refused.detail());
        };
    }

    private static JsonNode content(SdJwt hop, String hopField) {
        String field = hopField.isEmpty() ? "delegate_payload" : hopField + ".delegate_payload";
        return Ap2Hops.content(hop).orElseThrow(() -> new Refuse(MandateRefusal.Reason.INVALID,
                field, field + " must disclose exactly one open payment mandate"));
    }

    /** What the disclosed open mandate says, with every constraint evaluated or refused. */
    record Terms(Amount budget, Amount perTaskMax, List<String> skills, List<String> payees,
            List<String> instruments, Optional<Recurrence> recurrence, Instant notBefore, Optional<Instant> expiresAt,
            Party.P256Key agent) {
    }

    /**
     * Maps a disclosed open payment mandate onto envelope terms. Package-private so the
     * published AP2 example (vectors.md §8, whose issuer key is unknown) can be checked without
     * its signature.
     */
    static Terms terms(JsonNode content, MandateSchemas schemas) {
        schemas.validate(MandateSchemas.Kind.AP2_OPEN_PAYMENT_MANDATE, RequestJson.write(content))
                .ifPresent(refusal -> {
                    String field = refusal.field().isEmpty() ? CONTENT
                            : CONTENT + "." + refusal.field();
                    throw new Refuse(MandateRefusal.Reason.INVALID, field,
                            CONTENT + ": " + refusal.message());
                });
        content.fieldNames().forEachRemaining(name -> {
            if (!KNOWN_MEMBERS.contains(name)) {
                throw new Refuse(MandateRefusal.Reason.UNKNOWN_CONSTRAINT, CONTENT + "." + name,
                        CONTENT + "." + name + ": Purser does not evaluate pre-set closed-mandate "
                                + "properties, and AP2 forbids ignoring a restriction");
            }
        });
        Amount budget = null;
        Amount perTaskMax = Amount.ZERO;
        List<String> skills = List.of();
        List<String> payees = List.of();
        List<String> instruments = List.of();
        Optional<Recurrence> recurrence = Optional.empty();
        // Without nbf, a mandate is good from its issuance.
        Instant notBefore = seconds(content, "nbf")
                .or(() -> seconds(content, "iat")).orElse(Instant.EPOCH);
        Optional<Instant> expiresAt = seconds(content, "exp");
        JsonNode constraints = content.get("constraints");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < constraints.size(); i++) {
            JsonNode c = constraints.get(i);
            String type = c.get("type").textValue();
            String at = CONTENT + ".constraints[" + i + "]";
            if (seen.contains(type)) {
                throw new Refuse(MandateRefusal.Reason.INVALID, at + ".type",
                        at + ".type " + type + " appears twice; each constraint type once");
            }
            seen.add(type);
            switch (type) {
                case "payment.budget" -> {
                    requireUsd(c, at);
                    budget = majorToAtomic(c.get("max").decimalValue(), at + ".max");
                }
                case "payment.amount_range" -> {
                    requireUsd(c, at);
                    if (c.has("min") && c.get("min").bigIntegerValue().signum() != 0) {
                        throw new Refuse(MandateRefusal.Reason.UNKNOWN_CONSTRAINT, at + ".min",
                                at + ".min: Purser enforces no lower bound on a payment");
                    }
                    perTaskMax = centsToAtomic(c.get("max").bigIntegerValue(), at + ".max");
                }
                case "payment.agent_recurrence" -> {
                    if (c.has("max_occurrences")) {
                        throw new Refuse(MandateRefusal.Reason.UNKNOWN_CONSTRAINT,
                                at + ".max_occurrences", at + ".max_occurrences: Purser does "
                                        + "not count draws per mandate yet");
                    }
                    recurrence = recurrence(c.get("frequency").textValue(), at);
                }
                case "payment.allowed_payees" -> payees = allowedIds(c, at, "payee");
                // AP2's evaluator matches instruments by id (constraints.py)
                case "payment.allowed_payment_instruments" ->
                    instruments = allowedIds(c, at, "payment instrument");
                case "payment.execution_date" -> {
                    if (c.has("not_before")) {
                        notBefore = latest(notBefore, Optional.of(
                                instant(c.get("not_before").textValue(), false,
                                        at + ".not_before")));
                    }
                    if (c.has("not_after")) {
                        expiresAt = earliest(Optional.of(instant(c.get("not_after").textValue(),
                                true, at + ".not_after")), expiresAt);
                    }
                }
                case "org.purser.allowed_skills" -> {
                    List<String> allowed = new ArrayList<>();
                    c.get("allowed").forEach(skill -> allowed.add(skill.textValue()));
                    skills = List.copyOf(allowed);
                }
                default -> throw new Refuse(MandateRefusal.Reason.UNKNOWN_CONSTRAINT,
                        at + ".type", at + ".type " + type + " is a constraint Purser cannot "
                                + "evaluate" + (type.equals("payment.reference")
                                        ? " (Purser has no checkout mandates to match it against)"
                                        : "") + "; AP2 requires it to fail");
            }
        }
        if (budget == null) {
            throw new Refuse(MandateRefusal.Reason.INVALID, CONTENT + ".constraints",
                    CONTENT + ".constraints: a payment.budget constraint is required");
        }
        Validity.checkCap(budget, perTaskMax, CONTENT + ".constraints");
        return new Terms(budget, perTaskMax, skills, payees, instruments, recurrence, notBefore, expiresAt,
                Party.P256Key.of(content.at("/cnf/jwk")));
    }

    private static Party.P256Key issuerKey(JsonNode headerJwk, JsonNode bodyJwk) {
        if (headerJwk == null && bodyJwk == null) {
            throw new Refuse(MandateRefusal.Reason.INVALID, "issuerJwk",
                    "issuerJwk is required when the SD-JWT header carries no jwk: Purser "
                            + "identifies the principal by the key that signed");
        }
        for (JsonNode jwk : new JsonNode[] {headerJwk, bodyJwk}) {
            if (jwk != null && Es256.publicKey(jwk).isEmpty()) {
                String field = jwk == headerJwk ? "sdJwt" : "issuerJwk";
                throw new Refuse(MandateRefusal.Reason.INVALID, field,
                        field + ": the issuer jwk is not a P-256 public key on the curve");
            }
        }
        Party.P256Key key = Party.P256Key.of(headerJwk != null ? headerJwk : bodyJwk);
        if (headerJwk != null && bodyJwk != null
                && !Party.P256Key.of(bodyJwk).equals(key)) {
            throw new Refuse(MandateRefusal.Reason.INVALID, "issuerJwk",
                    "issuerJwk is not the key in the SD-JWT header's jwk");
        }
        return key;
    }

    /** The ids an {@code allowed} list discloses; at least one, or no payment could be made. */
    private static List<String> allowedIds(JsonNode constraint, String at, String what) {
        List<String> ids = new ArrayList<>();
        constraint.get("allowed").forEach(one -> ids.add(one.get("id").textValue()));
        if (ids.isEmpty()) {
            throw new Refuse(MandateRefusal.Reason.INVALID, at + ".allowed",
                    at + ".allowed discloses no " + what + ": no payment could be made");
        }
        return List.copyOf(ids);
    }

    private static void requireUsd(JsonNode constraint, String at) {
        String currency = constraint.get("currency").textValue();
        if (!USD.equals(currency)) {
            throw new Refuse(MandateRefusal.Reason.UNSUPPORTED_ASSET, at + ".currency",
                    at + ".currency " + currency + ": Purser settles in USDC and accepts USD "
                            + "amounts only (1 USD = 1 USDC)");
        }
    }

    private static Amount majorToAtomic(BigDecimal major, String field) {
        BigDecimal exact = major.stripTrailingZeros();
        if (exact.scale() > USD_FRACTION_DIGITS) {
            throw new Refuse(MandateRefusal.Reason.INVALID, field, field + " " + major
                    + " has more than " + USD_FRACTION_DIGITS + " fractional digits of USD");
        }
        return atomic(exact.movePointRight(ATOMIC_PER_MAJOR_DIGITS).toBigIntegerExact(), field);
    }

    private static Amount centsToAtomic(BigInteger cents, String field) {
        return atomic(cents.multiply(ATOMIC_PER_CENT), field);
    }

    private static Amount atomic(BigInteger units, String field) {
        if (units.compareTo(LONG_MAX) > 0) {
            throw new Refuse(MandateRefusal.Reason.AMOUNT_OUT_OF_RANGE, field,
                    field + " is more USDC atomic units than Purser can count");
        }
        return Amount.of(units.longValueExact());
    }

    private static Optional<Recurrence> recurrence(String frequency, String at) {
        return switch (frequency) {
            case "ON_DEMAND" -> Optional.empty();
            case "DAILY" -> Optional.of(Recurrence.DAILY);
            case "WEEKLY" -> Optional.of(Recurrence.WEEKLY);
            case "MONTHLY" -> Optional.of(Recurrence.MONTHLY);
            // Reading BIWEEKLY as none would widen the principal's limit; refuse instead.
            default -> throw new Refuse(MandateRefusal.Reason.UNKNOWN_CONSTRAINT,
                    at + ".frequency", at + ".frequency " + frequency + " is not supported "
                            + "(ON_DEMAND, DAILY, WEEKLY, MONTHLY are)");
        };
    }

    /**
     * An ISO-8601 date-time with offset, or a date; a date as an upper bound means through the
     * end of that day (UTC).
     */
    private static Instant instant(String text, boolean upperBound, String field) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                LocalDate date = LocalDate.parse(text);
                return (upperBound ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException notDate) {
                throw new Refuse(MandateRefusal.Reason.INVALID, field, field + " " + text
                        + " is not an ISO-8601 date-time with offset or a date");
            }
        }
    }

    /**
     * A NumericDate claim, if present. Present but malformed is refused, never skipped: skipping
     * an {@code exp} would make a mandate live forever.
     */
    private static Optional<Instant> seconds(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || value.bigIntegerValue().signum() < 0
                || value.bigIntegerValue().compareTo(LAST_SECOND) > 0) {
            throw new Refuse(MandateRefusal.Reason.INVALID, name,
                    name + " must be whole unix seconds up to year 9999");
        }
        return Optional.of(Instant.ofEpochSecond(value.longValue()));
    }

    private static Instant latest(Instant a, Optional<Instant> b) {
        return b.filter(value -> value.isAfter(a)).orElse(a);
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
    }
}
