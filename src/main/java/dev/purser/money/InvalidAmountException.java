package dev.purser.money;

/** An amount that was expected to be valid was not; carries the rule it broke. */
public final class InvalidAmountException extends IllegalArgumentException {

    private final AmountParse.Reason reason;

    public InvalidAmountException(AmountParse.Reason reason, String input) {
        super("amount " + reason.description()
                + (input == null ? "" : ": \"" + clip(input) + "\""));
        this.reason = reason;
    }

    /** The input may be hostile and huge; a message only needs its start. */
    private static String clip(String input) {
        return input.length() <= 40 ? input : input.substring(0, 40) + "...";
    }

    public AmountParse.Reason reason() {
        return reason;
    }
}
