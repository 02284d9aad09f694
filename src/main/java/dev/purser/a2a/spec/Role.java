package dev.purser.a2a.spec;

import java.util.Optional;

/** Who wrote a message. */
public enum Role {
    USER("user", "ROLE_USER"),
    AGENT("agent", "ROLE_AGENT");

    private final String v03;
    private final String v10;

    Role(String v03, String v10) {
        this.v03 = v03;
        this.v10 = v10;
    }

    public String v03() {
        return v03;
    }

    public String v10() {
        return v10;
    }

    public static Optional<Role> fromV03(String s) {
        for (Role r : values()) {
            if (r.v03.equals(s)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public static Optional<Role> fromV10(String s) {
        for (Role r : values()) {
            if (r.v10.equals(s)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
