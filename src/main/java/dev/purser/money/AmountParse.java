package dev.purser.money;

import java.util.Optional;

/** The outcome of reading an {@link Amount} from the wire: the amount, or why it was refused. */
public sealed interface AmountParse permits AmountParse.Parsed, AmountParse.Refused {

    /** Why a text or number is not an amount. Each constant names one rule of the wire format. */
    enum Reason {
        EMPTY("is empty"),
        SIGNED("has a sign; amounts are unsigned"),
        WHITESPACE("contains whitespace"),
        FRACTIONAL("has a fraction; amounts are whole atomic units"),
        EXPONENT("has an exponent; write every digit"),
        NOT_A_DIGIT("contains a character that is not a decimal digit"),
        LEADING_ZERO("has a leading zero"),
        EXCEEDS_LONG("exceeds 9223372036854775807 atomic units"),
        EXCEEDS_UINT256("exceeds 2^256 - 1");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    record Parsed(Amount amount) implements AmountParse {
        public Parsed {
            if (amount == null) {
                throw new IllegalArgumentException("amount is required");
            }
        }
    }

    /** @param input the refused text, for the error message; may be null */
    record Refused(Reason reason, String input) implements AmountParse {
        public Refused {
            if (reason == null) {
                throw new IllegalArgumentException("reason is required");
            }
        }

        public String message() {
            return "amount " + reason.description();
        }
    }

    default Optional<Amount> toOptional() {
        return this instanceof Parsed parsed ? Optional.of(parsed.amount()) : Optional.empty();
    }

    /**
     * For input that was already validated (configuration, constants, tests).
     *
     * @throws InvalidAmountException carrying the reason
     */
    default Amount orElseThrow() {
        return switch (this) {
            case Parsed parsed -> parsed.amount();
            case Refused refused -> throw new InvalidAmountException(refused.reason(),
                    refused.input());
        };
    }
}
