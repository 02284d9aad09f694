package dev.purser.web;

import dev.purser.money.Asset;
import io.quarkus.qute.TemplateExtension;

/**
 * Atomic amounts in human units for the pages: {@code "1500000"} USDC (6 decimals) is
 * {@code "1.50"}. Integer arithmetic on the decimal string only: an amount is never a double.
 */
@TemplateExtension(namespace = "units")
public final class Units {

    /** USDC, the one asset Purser settles in (DESIGN §9: other assets are refused). */
    static final int USDC_DECIMALS = 6;

    private Units() {
    }

    /**
     * {@code atomic} (a decimal string of atomic units) with {@code decimals} places, trailing
     * zeros trimmed to two places; anything that is not a plain decimal is returned unchanged.
     */
    public static String human(String atomic, int decimals) {
        if (atomic == null || !atomic.matches("[0-9]{1,40}")) {
            return atomic == null ? "" : atomic;
        }
        String digits = atomic.replaceFirst("^0+(?=.)", "");
        if (decimals == 0) {
            return digits;
        }
        String padded = "0".repeat(Math.max(0, decimals + 1 - digits.length())) + digits;
        String whole = padded.substring(0, padded.length() - decimals);
        String fraction = padded.substring(padded.length() - decimals);
        int keep = fraction.length();
        while (keep > 2 && fraction.charAt(keep - 1) == '0') {
            keep--;
        }
        return whole + "." + fraction.substring(0, Math.min(keep, fraction.length()));
    }

    /** {@code atomic} in the human units of the USDC of {@code network} (6 decimals). */
    public static String usdc(String atomic, String network) {
        int decimals = network == null ? USDC_DECIMALS
                : Asset.usdcOn(network).map(Asset::decimals).orElse(USDC_DECIMALS);
        return human(atomic, decimals);
    }

    /** {@code atomic} in USDC units (6 decimals). */
    public static String usdc(String atomic) {
        return human(atomic, USDC_DECIMALS);
    }

    /** Unix seconds (a JSON number) as an ISO-8601 UTC time; {@code none} for 0 or absent. */
    public static String unixTime(Object seconds, String none) {
        if (!(seconds instanceof Number n) || n.longValue() <= 0) {
            return none;
        }
        return java.time.Instant.ofEpochSecond(n.longValue()).toString();
    }

    /** A success rate (a JSON number 0 to 1) as a whole percentage; {@code —} when absent. */
    public static String percent(Object rate) {
        return rate instanceof Number n ? Math.round(n.doubleValue() * 100) + "%" : "—";
    }

    /** A long hex id cut to its head and tail for tables; the full id stays in the link. */
    public static String shortHex(String hex) {
        return hex == null || hex.length() <= 14 ? hex
                : hex.substring(0, 8) + "…" + hex.substring(hex.length() - 4);
    }
}
