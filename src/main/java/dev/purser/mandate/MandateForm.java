package dev.purser.mandate;

/** The two signed forms a mandate may arrive in (DESIGN §4). */
public enum MandateForm {
    /** {@code {"mandate": SpendingMandate, "signature"}}, secp256k1 over the EIP-712 digest. */
    EIP712("eip712"),
    /** {@code {"sdJwt"}}: an AP2 v0.2 open payment mandate, ES256 over P-256. */
    AP2_SD_JWT("ap2-sd-jwt");

    private final String wire;

    MandateForm(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
