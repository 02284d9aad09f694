package dev.purser.net;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The SSRF guard of every URL Purser calls out to (push webhooks, spec §7; provider cards and
 * interfaces, DESIGN §9): it must be http(s) and must not resolve to a loopback, private,
 * link-local, unique-local, carrier-grade NAT, multicast or unspecified address, unless private
 * targets are allowed. Webhooks are checked when registered and again before every delivery
 * (names can be re-pointed); a name that does not resolve yet is accepted at registration and
 * checked when a delivery is due.
 *
 * <p>A check alone does not stop DNS rebinding (the name answering a public address to the check
 * and a private one to the connection that follows), so calls go through {@link GuardedHttp},
 * which resolves once here ({@link #addresses}) and connects to an address this guard approved.
 */
public final class UrlGuard {

    /** Name resolution; the system's by default, a stub in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A URL the guard will not let Purser call: the reason completes "the URL …". */
    public static final class Refused extends IOException {
        Refused(String reason) {
            super(reason);
        }
    }

    private final Predicate<InetAddress> forbidden;
    private final Resolver resolver;
    /** False when every address is allowed: then a check needs no lookup. */
    private final boolean checksAddresses;

    public UrlGuard(boolean allowPrivate) {
        this(allowPrivate ? a -> false : UrlGuard::isPrivate, InetAddress::getAllByName,
                !allowPrivate);
    }

    /** With its own rule and resolver: for tests that must tell one address from another. */
    UrlGuard(Predicate<InetAddress> forbidden, Resolver resolver) {
        this(forbidden, resolver, true);
    }

    private UrlGuard(Predicate<InetAddress> forbidden, Resolver resolver,
            boolean checksAddresses) {
        this.forbidden = forbidden;
        this.resolver = resolver;
        this.checksAddresses = checksAddresses;
    }

    /** Why {@code url} may not be registered, or empty when it may. */
    public Optional<String> refusalToRegister(String url) {
        return check(url, false);
    }

    /** Why {@code url} may not be posted to now, or empty when it may. */
    public Optional<String> refusalToDeliver(String url) {
        return check(url, true);
    }

    /**
     * Resolves {@code url}'s host once and checks every address it gives: the addresses a
     * connection to it may use, in the resolver's order.
     *
     * @throws Refused when the URL is not http(s), has no host, or any address is forbidden
     * @throws UnknownHostException when the host does not resolve
     */
    public List<InetAddress> addresses(URI url) throws Refused, UnknownHostException {
        String host = syntax(url);
        String name = host.toLowerCase(Locale.ROOT);
        if ((name.equals("localhost") || name.endsWith(".localhost"))
                && forbidden.test(InetAddress.getLoopbackAddress())) {
            throw new Refused("points at a loopback address; private targets are not allowed");
        }
        boolean literal = host.startsWith("[") && host.endsWith("]");
        InetAddress[] all = resolver.resolve(literal ? host.substring(1, host.length() - 1) : host);
        if (all == null || all.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress a : all) {
            if (forbidden.test(a)) {
                throw new Refused("resolves to " + a.getHostAddress() + ", a private, loopback or"
                        + " link-local address; private targets are not allowed");
            }
        }
        return List.of(all);
    }

    /** The host of an http(s) URL, or why it is not one. */
    private static String syntax(URI url) throws Refused {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("must be an http or https URL");
        }
        if (url.getRawUserInfo() != null) {
            // Credentials in a URL end up in logs and listings; headers are kept sealed.
            throw new Refused("carries credentials (user info); send them in a header instead");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new Refused("has no host");
        }
        return host;
    }

    private Optional<String> check(String url, boolean mustResolve) {
        try {
            URI uri = new URI(url);
            if (!checksAddresses) {
                // only the form matters; whether the name resolves shows when it is called
                syntax(uri);
                return Optional.empty();
            }
            addresses(uri);
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return mustResolve ? Optional.of("does not resolve") : Optional.empty();
        }
    }

    /**
     * {@code url} as it may be logged: scheme, host, port and path; user info and the query (where
     * tokens hide) are left out, each replaced by an ellipsis.
     */
    public static String forLog(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = new URI(url);
            if (u.getHost() == null) {
                return "(a URL without a host)";
            }
            return u.getScheme() + "://" + (u.getRawUserInfo() != null ? "…@" : "") + u.getHost()
                    + (u.getPort() >= 0 ? ":" + u.getPort() : "")
                    + (u.getRawPath() == null ? "" : u.getRawPath())
                    + (u.getRawQuery() != null ? "?…" : "");
        } catch (URISyntaxException e) {
            return "(not a URL)";
        }
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
