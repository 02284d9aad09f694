package dev.purser.net;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 to a URL someone else gave Purser (webhooks, provider cards and interfaces), safe from
 * DNS rebinding: the host is resolved once by the {@link UrlGuard}, every address it gave is
 * checked, and the socket connects to one of those addresses — never to a second lookup's
 * answer. The request still names the host: {@code Host} header, TLS SNI and certificate
 * hostname verification all use the name from the URL.
 *
 * <p>Its own small client, not {@code java.net.http}: that client resolves the name itself when
 * it connects and offers no way to hand it an address. One request per connection
 * ({@code Connection: close}), no redirects (the caller decides, and each URL is checked), bodies
 * with {@code Content-Length}, chunked, or to the end of the stream. Blocking; on a virtual
 * thread an interrupt closes the socket.
 */
public final class GuardedHttp {

    private final UrlGuard guard;
    private final Duration connectTimeout;

    public GuardedHttp(UrlGuard guard, Duration connectTimeout) {
        this.guard = guard;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Sends one request and reads the answer's status and headers; the body is the caller's to
     * read from the answer, which it must close.
     *
     * @param headers sent in their order after {@code Host}; names and values may not hold
     *     line breaks
     * @param body the request body, or null for none
     * @param readTimeout the longest wait for any read, the status line's included
     * @throws UrlGuard.Refused when the guard refuses the URL or an address of its host
     * @throws UnknownHostException when the host does not resolve
     * @throws IOException when no connection or no well-formed answer came
     */
    public HttpAnswer send(String method, URI url, Map<String, String> headers, byte[] body,
            Duration readTimeout) throws IOException {
        List<InetAddress> addresses = guard.addresses(url);
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
        Socket socket = connect(addresses, port);
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE,
                    Math.max(1, readTimeout.toMillis())));
            if (tls) {
                socket = handshake(socket, url.getHost(), port);
            }
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            out.write(head(method, url, port, tls, headers, body).getBytes(
                    StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return HttpAnswer.read(socket, method.equalsIgnoreCase("HEAD"));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The first of the checked addresses that takes a connection. */
    private Socket connect(List<InetAddress> addresses, int port) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port),
                        (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
                return socket;
            } catch (SocketTimeoutException e) {
                socket.close();
                // a ConnectException: a timeout to connect is no answer, not a slow one
                last = new ConnectException("could not connect to " + address.getHostAddress()
                        + ":" + port + " within " + connectTimeout.toMillis() + " ms");
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last;
    }

    /** TLS over the connected socket, with SNI and certificate checks for the URL's host name. */
    private static Socket handshake(Socket plain, String host, int port) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no TLS available", e);
        }
        boolean literal = host.startsWith("[") || host.chars().allMatch(
                c -> Character.isDigit(c) || c == '.');
        String name = literal && host.startsWith("[") ? host.substring(1, host.length() - 1)
                : host;
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, name, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!literal) {
            parameters.setServerNames(List.of(new SNIHostName(name)));
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    private static String head(String method, URI url, int port, boolean tls,
            Map<String, String> headers, byte[] body) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/"
                : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        StringBuilder head = new StringBuilder(256);
        head.append(method.toUpperCase(Locale.ROOT)).append(' ').append(path)
                .append(" HTTP/1.1\r\n");
        boolean defaultPort = port == (tls ? 443 : 80);
        line(head, "Host", url.getHost() + (defaultPort ? "" : ":" + port));
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            // framing is this client's: a caller's copy would contradict it
            if (!lower.equals("host") && !lower.equals("content-length")
                    && !lower.equals("connection") && !lower.equals("transfer-encoding")) {
                line(head, name, value);
            }
        });
        if (body != null) {
            line(head, "Content-Length", Integer.toString(body.length));
        }
        line(head, "Connection", "close");
        return head.append("\r\n").toString();
    }

    private static void line(StringBuilder head, String name, String value) {
        if (name.isEmpty() || !clean(name) || !clean(value) || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("header " + name + " holds a line break");
        }
        head.append(name).append(": ").append(value).append("\r\n");
    }

    private static boolean clean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                return false;
            }
        }
        return true;
    }
}
