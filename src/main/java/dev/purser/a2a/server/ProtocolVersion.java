package dev.purser.a2a.server;

import dev.purser.a2a.spec.A2aError;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.V10Json;
import dev.purser.a2a.spec.WireCodec;
import dev.purser.a2a.v03.V03Json;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The two wire versions served on one endpoint, chosen by {@code A2A-Version} (spec §1). */
enum ProtocolVersion {
    V0_3("0.3", V03Json.INSTANCE),
    V1_0("1.0", V10Json.INSTANCE);

    private static final Pattern SHAPE = Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)?");

    private final String label;
    private final WireCodec codec;

    ProtocolVersion(String label, WireCodec codec) {
        this.label = label;
        this.codec = codec;
    }

    String label() {
        return label;
    }

    WireCodec codec() {
        return codec;
    }

    /** Empty or absent is 0.3; patch digits are ignored; anything else is -32009. */
    static ProtocolVersion select(String header) {
        String v = header == null ? "" : header.trim();
        if (v.isEmpty()) {
            return V0_3;
        }
        Matcher m = SHAPE.matcher(v);
        if (m.matches()) {
            String majorMinor = Integer.parseInt(m.group(1)) + "." + Integer.parseInt(m.group(2));
            for (ProtocolVersion p : values()) {
                if (p.label.equals(majorMinor)) {
                    return p;
                }
            }
        }
        throw A2aFailure.of(A2aError.VERSION_NOT_SUPPORTED,
                "A2A-Version " + v + " is not supported; use 0.3 or 1.0",
                Map.of("requestedVersion", v, "supportedVersions", "0.3,1.0"));
    }
}
