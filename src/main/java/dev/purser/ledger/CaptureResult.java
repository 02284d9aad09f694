package dev.purser.ledger;

/** The outcome of {@link Envelopes#capture}. */
public sealed interface CaptureResult permits CaptureResult.Captured, Refused {

    /** The draw is posted; a repeated capture of the same amount answers the same receipt. */
    record Captured(Receipt receipt) implements CaptureResult {
    }
}
