package dev.purser.metered;

import dev.purser.ledger.Envelope;
import dev.purser.x402.PaymentRefusal;
import java.util.Optional;

/** The paid flow's refusals of a call, as OpenAI's error bodies (DESIGN §11 "Answers"). */
final class Refusals {

    private Refusals() {
    }

    static CallError of(PaymentRefusal refusal, ChatRequest request, Pricing pricing,
            Optional<Envelope> envelope) {
        String code = refusal.reason();
        return switch (code) {
            case "insufficient_budget", "request_too_expensive", "daily_limit_exceeded" ->
                CallError.insufficientBudget(budget(code, request, pricing, envelope));
            case "skill_not_allowed" -> CallError.forbidden("model_not_allowed",
                    "the session key's mandate does not cover model " + request.model() + ": "
                            + refusal.detail());
            case "rate_limited", "too_many_concurrent", "loop_detected" ->
                CallError.guard(code, refusal.detail(), refusal.retryAfterSeconds());
            case "revoked", "expired", "not_yet_valid", "unknown_mandate", "signature_mismatch",
                    "asset_mismatch", "mandate_required" ->
                CallError.unauthorized(code, "the session key's mandate refuses it: "
                        + refusal.detail());
            case "upstream_failed", "upstream_timeout", "work_failed" ->
                CallError.upstream(code.equals("upstream_timeout"), refusal.detail());
            default -> new CallError(403, "permission_error", code, null, refusal.detail(), 0);
        };
    }

    private static String budget(String code, ChatRequest request, Pricing pricing,
            Optional<Envelope> envelope) {
        long available = envelope.map(e -> code.equals("request_too_expensive")
                && e.perTaskMax() > 0 ? Math.min(e.perTaskMax(), e.remaining()) : e.remaining())
                .orElse(0L);
        long affordable = pricing.affordable(request, available);
        String why = switch (code) {
            case "request_too_expensive" -> "exceeds the envelope's per-request cap";
            case "daily_limit_exceeded" -> "would pass the envelope's daily cap";
            default -> "does not fit the envelope's remaining budget";
        };
        return "insufficient budget: this call may cost up to " + pricing.reserve()
                + " (input bound " + request.inputBound() + " tokens, output bound "
                + pricing.outputBound() + " tokens), which " + why + " (" + available
                + " available); nothing was charged. "
                + (affordable < 0 ? "Not even the input fits: shorten the messages."
                        : "The largest affordable max_tokens is " + affordable + ".");
    }
}
