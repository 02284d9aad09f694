package dev.purser.net;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 answer read by {@link GuardedHttp}: the status, the headers, and the body as a
 * stream (decoded from chunks, limited to {@code Content-Length}, or to the end). Closing it
 * closes the connection.
 */
public final class HttpAnswer implements Closeable {

    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 64 * 1024;

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;

    private HttpAnswer(Socket socket, int status, Map<String, String> headers, InputStream body) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = new FilterInputStream(body) {
            @Override
            public void close() throws IOException {
                socket.close(); // a reader (or a deadline) closing the body ends the exchange
            }
        };
    }

    static HttpAnswer read(Socket socket, boolean head) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        while (true) {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new ProtocolException("not an HTTP/1.x status line: " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new ProtocolException("no status code in " + statusLine);
            }
            Map<String, String> headers = headers(in);
            if (status >= 100 && status < 200 && status != 101) {
                continue; // 100 Continue, 103 Early Hints: the answer follows
            }
            return new HttpAnswer(socket, status, headers, body(in, status, headers, head));
        }
    }

    public int status() {
        return status;
    }

    /** The header's value (the first, when sent more than once); names are case-insensitive. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The body; closing it closes the connection, as {@link #close} does. */
    public InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        String line;
        while (!(line = line(in)).isEmpty()) {
            total += line.length();
            if (total > MAX_HEADERS) {
                throw new ProtocolException("answer headers over " + MAX_HEADERS + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static InputStream body(InputStream in, int status, Map<String, String> headers,
            boolean head) throws IOException {
        if (head || status == 204 || status == 304) {
            return InputStream.nullInputStream();
        }
        String coding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (coding.contains("chunked")) {
            return new Chunked(in);
        }
        String length = headers.get("content-length");
        if (length != null) {
            try {
                return new Bounded(in, Long.parseLong(length));
            } catch (NumberFormatException e) {
                throw new ProtocolException("Content-Length is not a number: " + length);
            }
        }
        return in;
    }

    /** One line without its CRLF (a bare LF ends one too), ISO-8859-1. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("the connection closed mid-answer");
            }
            if (line.size() >= MAX_LINE) {
                throw new ProtocolException("an answer line over " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1
                : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** A decoding stream: its single-byte read goes through its block read. */
    private abstract static class Decoded extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** The first {@code length} bytes, then the end. */
    private static final class Bounded extends Decoded {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the connection closed before Content-Length bytes");
            }
            left -= n;
            return n;
        }
    }

    /** The chunked transfer coding (RFC 9112 §7.1), decoded; trailers are read and dropped. */
    private static final class Chunked extends Decoded {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left == 0 && !nextChunk()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the connection closed mid-chunk");
            }
            left -= n;
            if (left == 0) {
                line(in); // the CRLF after the chunk's data
            }
            return n;
        }

        /** Reads the next chunk's size; false at the last (empty) chunk. */
        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            String size = line(in);
            int semicolon = size.indexOf(';');
            try {
                left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon))
                        .trim(), 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("a chunk size that is not hex: " + size);
            }
            if (left < 0) {
                throw new ProtocolException("a negative chunk size");
            }
            if (left == 0) {
                done = true;
                while (!line(in).isEmpty()) {
                    // trailer fields: nothing Purser reads
                }
                return false;
            }
            return true;
        }
    }
}
