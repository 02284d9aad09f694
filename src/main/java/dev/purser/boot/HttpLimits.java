package dev.purser.boot;

import dev.purser.a2a.server.TransportErrors;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * The HTTP server's own limits, answered with a JSON body instead of Vert.x's empty one (or, for
 * a body over the limit, a dropped connection): a request line over {@link #MAX_URL_CHARS} is 414,
 * headers over {@link #MAX_HEADER_BYTES} are 431, a declared body over {@link #MAX_BODY_BYTES} is
 * 413 (a chunked one too, once it has passed the limit). Vert.x's own line and header limits
 * (application.properties) are set higher than these so that requests reach this filter; what
 * exceeds even those still gets Vert.x's bare answer.
 * {@code /api/a2a} gets a JSON-RPC -32600 body, {@code /v1/…} OpenAI's error body (§11), every
 * other path the error body of DESIGN §8.
 */
@ApplicationScoped
class HttpLimits {

    static final int MAX_URL_CHARS = 4096;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final long MAX_BODY_BYTES = 8L << 20;
    /** A refused body is read and thrown away so the client can read the answer; past this, closed. */
    static final long MAX_DRAIN_BYTES = 64L << 20;

    /** Before Quarkus's own body-size check (order -2), which answers 413 with no body. */
    void install(@Observes Router router) {
        router.route().order(-10).handler(this::check);
        // A body sent without Content-Length (chunked) is measured while it is read. RESTEasy's
        // own reader would answer 413 with no body; read here instead, into the buffer RESTEasy
        // takes when one is present, and the handler fails with 413 past the limit. A JSON body
        // (A2A, /v1) is read here too, whole, on the event loop: RESTEasy would otherwise read it
        // on the virtual thread through a blocking stream fed by the event loop, hop by hop (a
        // fifth of the event loop's time per message/send, bench/peers).
        BodyHandler whole = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)
                .setHandleFileUploads(false);
        router.route().order(-1).handler(ctx -> {
            HttpServerRequest req = ctx.request();
            boolean chunked = req.getHeader("Content-Length") == null
                    && req.getHeader("Transfer-Encoding") != null;
            String length = req.getHeader("Content-Length");
            // (An empty body is left to RESTEasy: the handler would wait for an end already seen.
            // So is HTTP/2's, which RESTEasy pauses after the handler has read it: refused.)
            if (chunked || length != null && declared(length) > 0 && isJson(req)
                    && req.version() != HttpVersion.HTTP_2) {
                whole.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(-10).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                refuse(ctx, 413, "payload_too_large", "the request body is larger than "
                        + MAX_BODY_BYTES + " bytes", "body");
            } else {
                ctx.next();
            }
        });
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String uri = req.uri();
        if (uri.length() > MAX_URL_CHARS) {
            refuse(ctx, 414, "uri_too_long", "the URL is " + uri.length()
                    + " characters long; at most " + MAX_URL_CHARS + " are accepted", "url");
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> h : req.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            refuse(ctx, 431, "headers_too_large", "the request headers take " + headerBytes
                    + " bytes; at most " + MAX_HEADER_BYTES + " are accepted", "headers");
            return;
        }
        String length = req.getHeader("Content-Length");
        if (length != null && declared(length) > MAX_BODY_BYTES) {
            refuse(ctx, 413, "payload_too_large", "the request body is " + length
                    + " bytes; at most " + MAX_BODY_BYTES + " are accepted", "body");
            return;
        }
        ctx.next();
    }

    private static boolean isJson(HttpServerRequest req) {
        String type = req.getHeader("Content-Type");
        if (type == null) {
            return false;
        }
        String t = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return t.equals("application/json") || t.endsWith("+json");
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x itself refuses a malformed Content-Length
        }
    }

    private static void refuse(RoutingContext ctx, int status, String code, String message,
            String field) {
        HttpServerRequest req = ctx.request();
        boolean rpc = "/api/a2a".equals(req.path()) || "/api/a2a/".equals(req.path());
        String body = rpc ? TransportErrors.invalidRequest(req.getHeader("A2A-Version"), message)
                : req.path().startsWith("/v1/") ? HttpErrors.openAiBody(code, message, field)
                : HttpErrors.body(code, message, field);
        drain(req);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(body);
    }

    /**
     * Reads and discards the body the answer refuses: a client still sending when the server
     * closes gets a reset and never sees the answer. A body beyond {@link #MAX_DRAIN_BYTES} closes
     * the connection.
     */
    static void drain(HttpServerRequest req) {
        if (req.isEnded()) {
            return;
        }
        long[] seen = {0};
        req.handler(buf -> {
            seen[0] += buf.length();
            if (seen[0] > MAX_DRAIN_BYTES) {
                req.connection().close();
            }
        });
        req.resume();
    }
}
