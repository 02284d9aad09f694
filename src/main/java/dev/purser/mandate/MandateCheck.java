package dev.purser.mandate;

import java.util.Optional;

/** The outcome of checking a mandate: the mandate, or why it is refused. */
public sealed interface MandateCheck permits MandateCheck.Accepted, MandateCheck.Refused {

    record Accepted(Mandate mandate) implements MandateCheck {
        public Accepted {
            if (mandate == null) {
                throw new IllegalArgumentException("mandate is required");
            }
        }
    }

    record Refused(MandateRefusal refusal) implements MandateCheck {
        public Refused {
            if (refusal == null) {
                throw new IllegalArgumentException("refusal is required");
            }
        }
    }

    static MandateCheck refuse(MandateRefusal.Reason reason, String field, String message) {
        return new Refused(MandateRefusal.of(reason, field, message));
    }

    default Optional<Mandate> toOptional() {
        return this instanceof Accepted accepted ? Optional.of(accepted.mandate())
                : Optional.empty();
    }
}
