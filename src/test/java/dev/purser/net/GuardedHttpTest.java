package dev.purser.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding: a name that answers a checked address to the first lookup and a forbidden one to
 * the next is connected to at the first, and looked up once; a name that resolves to a private
 * address is refused before any connection. Here loopback stands for "public" (the only address a
 * test can listen on) and 10.0.0.0/8 for the private network the rebinding aims at.
 */
class GuardedHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = address("127.0.0.1");
    private static final InetAddress INTERNAL = address("10.255.255.1");

    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final HttpServer server = server();

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theConnectionGoesToTheAddressTheGuardChecked() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        // the first answer passes the check; every later one points inside
        UrlGuard.Resolver rebinding = host -> new InetAddress[] {
                lookups.getAndIncrement() == 0 ? LOOPBACK : INTERNAL};
        UrlGuard guard = new UrlGuard(a -> !a.isLoopbackAddress(), rebinding);
        URI url = URI.create("http://hooks.example:" + port() + "/hook?x=1");
        byte[] body = "{\"signed\":true}".getBytes(StandardCharsets.UTF_8);
        try (HttpAnswer answer = new GuardedHttp(guard, TIMEOUT).send("POST", url,
                Map.of("Content-Type", "application/json"), body, TIMEOUT)) {
            assertEquals(200, answer.status());
            assertEquals("ok /hook?x=1", new String(answer.body().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        assertEquals(1, lookups.get(), "the name was resolved once, for the check");
        assertEquals(List.of("hooks.example:" + port()), hosts, "the Host header names the name");
        assertArrayEquals(body, bodies.get(0));
        // what a check followed by a second lookup would have met: the internal address
        assertTrue(guard.refusalToDeliver(url.toString()).orElseThrow().contains("10.255.255.1"));
    }

    @Test
    void aNameResolvingToAPrivateAddressIsRefusedWithoutConnecting() {
        UrlGuard guard = new UrlGuard(UrlGuard::isPrivate, host -> new InetAddress[] {INTERNAL});
        GuardedHttp http = new GuardedHttp(guard, TIMEOUT);
        UrlGuard.Refused refused = assertThrows(UrlGuard.Refused.class, () -> http.send("GET",
                URI.create("http://hooks.example:" + port() + "/"), Map.of(), null, TIMEOUT));
        assertTrue(refused.getMessage().contains("private"), refused.getMessage());
        UrlGuard strict = new UrlGuard(false);
        assertThrows(UrlGuard.Refused.class, () -> new GuardedHttp(strict, TIMEOUT).send("GET",
                URI.create("http://127.0.0.1:" + port() + "/"), Map.of(), null, TIMEOUT));
        UrlGuard unresolved = new UrlGuard(UrlGuard::isPrivate, host -> {
            throw new UnknownHostException(host);
        });
        assertThrows(UnknownHostException.class, () -> new GuardedHttp(unresolved, TIMEOUT).send("GET",
                URI.create("http://nowhere.invalid/"), Map.of(), null, TIMEOUT));
        assertEquals(List.of(), hosts, "no request reached the server");
    }

    @Test
    void bodiesOfEveryFramingAreRead() throws Exception {
        GuardedHttp http = new GuardedHttp(new UrlGuard(true), TIMEOUT);
        for (String path : List.of("/chunked", "/length")) {
            try (HttpAnswer answer = http.send("GET", URI.create("http://127.0.0.1:" + port()
                    + path), Map.of(), null, TIMEOUT)) {
                assertEquals(200, answer.status());
                assertEquals("ok " + path, new String(answer.body().readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> http.send("GET",
                URI.create("http://127.0.0.1:" + port() + "/"), Map.of("X-A", "b\r\nX-B: c"), null,
                TIMEOUT), "no header injection");
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private HttpServer server() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
            s.createContext("/", ex -> {
                hosts.add(ex.getRequestHeaders().getFirst("Host"));
                bodies.add(ex.getRequestBody().readAllBytes());
                byte[] out = ("ok " + ex.getRequestURI()).getBytes(StandardCharsets.UTF_8);
                // length 0 makes the JDK server answer chunked
                ex.sendResponseHeaders(200, ex.getRequestURI().getPath().equals("/chunked") ? 0
                        : out.length);
                ex.getResponseBody().write(out);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
