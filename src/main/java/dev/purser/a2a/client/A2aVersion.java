package dev.purser.a2a.client;

import java.util.Optional;

/**
 * The two A2A wire versions a client can speak, with the names of the methods it calls and the
 * header that activates extensions in each (a2a.md §1, §2, §10).
 */
public enum A2aVersion {
    V0_3("0.3", "message/send", "message/stream", "tasks/get", "tasks/cancel", "X-A2A-Extensions"),
    V1_0("1.0", "SendMessage", "SendStreamingMessage", "GetTask", "CancelTask", "A2A-Extensions");

    private final String label;
    private final String send;
    private final String stream;
    private final String get;
    private final String cancel;
    private final String extensionHeader;

    A2aVersion(String label, String send, String stream, String get, String cancel,
            String extensionHeader) {
        this.label = label;
        this.send = send;
        this.stream = stream;
        this.get = get;
        this.cancel = cancel;
        this.extensionHeader = extensionHeader;
    }

    /** {@code "0.3"} or {@code "1.0"}: the {@code A2A-Version} header value. */
    public String label() {
        return label;
    }

    String sendMethod() {
        return send;
    }

    String streamMethod() {
        return stream;
    }

    String getMethod() {
        return get;
    }

    String cancelMethod() {
        return cancel;
    }

    String extensionHeader() {
        return extensionHeader;
    }

    /** "0.3", "0.3.0", "1.0", "1.0.1" …: the version, patch digits ignored; else empty. */
    public static Optional<A2aVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.trim().split("\\.");
        if (parts.length < 2 || parts.length > 3) {
            return Optional.empty();
        }
        String majorMinor = parts[0] + "." + parts[1];
        for (A2aVersion v : values()) {
            if (v.label.equals(majorMinor)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
