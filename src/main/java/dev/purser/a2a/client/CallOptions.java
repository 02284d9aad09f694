package dev.purser.a2a.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one call is made: its whole time budget (connect, answer, and for a stream every event up
 * to the last), extra HTTP headers (a provider's credentials), and the extensions to activate
 * (sent in the version's header: {@code A2A-Extensions} or {@code X-A2A-Extensions}). A header
 * the JDK's HTTP client reserves ({@code Host}, {@code Connection}, {@code Content-Length} …) is
 * refused with an {@link IllegalArgumentException} when the call is made.
 */
public record CallOptions(Duration timeout, Map<String, String> headers, List<String> extensions) {

    public CallOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        headers = Map.copyOf(headers);
        extensions = List.copyOf(extensions);
    }

    @Override
    public String toString() { // never the header values: they hold a provider's credentials
        return "CallOptions[" + timeout + ", headers " + headers.keySet() + ", extensions "
                + extensions + "]";
    }

    public static CallOptions timeout(Duration timeout) {
        return new CallOptions(timeout, Map.of(), List.of());
    }

    public CallOptions withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new CallOptions(timeout, all, extensions);
    }

    public CallOptions withExtension(String uri) {
        if (extensions.contains(uri)) {
            return this;
        }
        List<String> all = new ArrayList<>(extensions);
        all.add(uri);
        return new CallOptions(timeout, headers, all);
    }
}
