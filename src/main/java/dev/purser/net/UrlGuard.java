package dev.purser.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF guard of every URL Purser calls out to (push webhooks, spec §7; provider cards and
 * interfaces, DESIGN §9): it must be http(s) and must not resolve to a loopback, private,
 * link-local, unique-local, carrier-grade NAT, multicast or unspecified address, unless private
 * targets are allowed. Webhooks are checked when registered and again before every delivery
 * (names can be re-pointed); a name that does not resolve yet is accepted at registration and
 * checked when a delivery is due.
 */
public final class UrlGuard {

    private final boolean allowPrivate;

    public UrlGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why {@code url} may not be registered, or empty when it may. */
    public Optional<String> refusalToRegister(String url) {
        return check(url, false);
    }

    /** Why {@code url} may not be posted to now, or empty when it may. */
    public Optional<String> refusalToDeliver(String url) {
        return check(url, true);
    }

    private Optional<String> check(String url, boolean mustResolve) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("has no host");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        if (host.equalsIgnoreCase("localhost") || host.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            return Optional.of("points at a loopback address; private targets are not allowed");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return mustResolve ? Optional.of("does not resolve") : Optional.empty();
        }
        for (InetAddress a : addresses) {
            if (isPrivate(a)) {
                return Optional.of("resolves to " + a.getHostAddress()
                        + ", a private, loopback or link-local address; private targets are not allowed");
            }
        }
        return Optional.empty();
    }

    public static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()
                || a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 // 0.0.0.0/8
                || (first == 100 && second >= 64 && second < 128) // 100.64.0.0/10 CGNAT
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24
                || (first == 198 && (second == 18 || second == 19)) // benchmarking
                || first >= 240; // reserved, broadcast
    }
}
