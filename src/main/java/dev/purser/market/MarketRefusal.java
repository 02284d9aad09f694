package dev.purser.market;

/**
 * Why the market refused an operator's request (DESIGN §9 "Register"), as the §8 error body says
 * it: {@code invalid} is a 400 naming the field; the others are 422.
 */
public record MarketRefusal(int status, String code, String message, String field) {

    static final String INVALID = "invalid";
    static final String CARD_UNREACHABLE = "card_unreachable";
    static final String CARD_INVALID = "card_invalid";
    static final String PRIVATE_ADDRESS = "private_address";
    static final String ASSET_MISMATCH = "asset_mismatch";

    static MarketRefusal invalid(String field, String message) {
        return new MarketRefusal(400, INVALID, message, field);
    }

    static MarketRefusal of(String code, String message, String field) {
        return new MarketRefusal(422, code, message, field);
    }

    /** Carries a refusal out of the steps of one registration; caught where the result is built. */
    static final class Refused extends RuntimeException {

        private final transient MarketRefusal refusal;

        Refused(MarketRefusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }

        MarketRefusal refusal() {
            return refusal;
        }
    }

    Refused exception() {
        return new Refused(this);
    }
}
