package dev.purser.market;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.net.GuardedHttp;
import dev.purser.net.HttpAnswer;
import dev.purser.net.UrlGuard;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches a provider's agent card: the exact URL given, or at an origin (or a base path) the
 * well-known paths {@code /.well-known/agent-card.json} then {@code /.well-known/agent.json}.
 * Redirects are not followed (each URL is checked by the SSRF rule, and the connection goes to
 * the address that check approved, {@link GuardedHttp}); a body
 * over {@value #MAX_BYTES} bytes is not a card.
 */
final class CardFetcher {

    static final String WELL_KNOWN = "/.well-known/agent-card.json";
    static final String WELL_KNOWN_LEGACY = "/.well-known/agent.json";
    private static final int MAX_BYTES = 1 << 20;

    private final GuardedHttp http;
    private final Duration timeout;
    private final UrlGuard guard;
    private final ObjectMapper json;

    CardFetcher(Duration timeout, boolean allowPrivate, ObjectMapper json) {
        this.timeout = timeout;
        this.guard = new UrlGuard(allowPrivate);
        this.json = json;
        this.http = new GuardedHttp(guard, timeout);
    }

    /** Refuses a URL on a private address: {@code private_address} naming {@code field}. */
    void checkAddress(String url, String what, String field) {
        guard.refusalToRegister(url).ifPresent(why -> {
            throw MarketRefusal.of(MarketRefusal.PRIVATE_ADDRESS, what + " " + url + " " + why, field)
                    .exception();
        });
    }

    /** @throws MarketRefusal.Refused {@code private_address}, {@code card_unreachable}, {@code card_invalid} */
    JsonNode fetch(String cardUrl, Map<String, String> headers) {
        checkAddress(cardUrl, "cardUrl", "cardUrl");
        String last = "no answer";
        for (String url : candidates(cardUrl)) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Accept", "application/json");
            // resolved once, checked, connected to the checked address: no DNS rebinding
            try (HttpAnswer res = http.send("GET", URI.create(url), all, null, timeout)) {
                if (res.status() != 200) {
                    last = url + " answered HTTP " + res.status();
                    continue;
                }
                byte[] body = res.body().readNBytes(MAX_BYTES + 1);
                if (body.length > MAX_BYTES) {
                    throw cardInvalid(url + " is larger than " + MAX_BYTES + " bytes");
                }
                return json.readTree(body);
            } catch (UrlGuard.Refused e) {
                throw MarketRefusal.of(MarketRefusal.PRIVATE_ADDRESS, "cardUrl " + url + " "
                        + e.getMessage(), "cardUrl").exception();
            } catch (JsonProcessingException e) {
                throw cardInvalid(url + " is not JSON");
            } catch (IOException | IllegalArgumentException e) {
                last = url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage());
            }
        }
        throw MarketRefusal.of(MarketRefusal.CARD_UNREACHABLE, "could not fetch the card: " + last,
                "cardUrl").exception();
    }

    /** The URLs a card may be at, in the order tried. */
    static List<String> candidates(String cardUrl) {
        URI u = URI.create(cardUrl);
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String base = cardUrl.substring(0, cardUrl.length()
                - (u.getRawQuery() == null ? 0 : u.getRawQuery().length() + 1)
                - (u.getRawFragment() == null ? 0 : u.getRawFragment().length() + 1));
        List<String> out = new ArrayList<>();
        if (path.isEmpty() || path.equals("/")) {
            String origin = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            out.add(origin + WELL_KNOWN);
            out.add(origin + WELL_KNOWN_LEGACY);
        } else if (path.endsWith(WELL_KNOWN)) {
            out.add(cardUrl);
            out.add(base.substring(0, base.length() - WELL_KNOWN.length()) + WELL_KNOWN_LEGACY);
        } else {
            out.add(cardUrl);
            if (!path.contains("/.well-known/") && !path.endsWith(".json")) {
                String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
                out.add(trimmed + WELL_KNOWN);
                out.add(trimmed + WELL_KNOWN_LEGACY);
            }
        }
        return out;
    }

    private static MarketRefusal.Refused cardInvalid(String message) {
        return MarketRefusal.of(MarketRefusal.CARD_INVALID, message, "cardUrl").exception();
    }
}
