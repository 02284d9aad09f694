package dev.purser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.SdJwt;
import dev.purser.crypto.Sha256;
import dev.purser.mandate.MandateExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the AP2 commands share: reading a chain, naming its mandate, finding the audience. */
final class Ap2Chains {

    private Ap2Chains() {
    }

    /**
     * The chain in {@code file}: a registration body ({@code {"sdJwt": …}}, what
     * {@code ap2-open} and {@code ap2-delegate} write), a draw body ({@code {"ap2": …}}), or the
     * bare chain text.
     */
    static String read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            JsonNode body = Output.JSON.readTree(text);
            for (String member : List.of("sdJwt", "ap2")) {
                if (body.path(member).isTextual()) {
                    return body.get(member).textValue();
                }
            }
            throw new IllegalArgumentException(file + " has no sdJwt or ap2 member");
        }
        return text;
    }

    /** The last hop of {@code chain} (with its trailing {@code ~}), which the next hop binds. */
    static String lastHop(String chain) {
        List<String> hops = SdJwt.splitChain(chain);
        if (hops.isEmpty()) {
            throw new IllegalArgumentException("the chain is empty");
        }
        return hops.getLast();
    }

    /** The id Purser gives the mandate {@code hop} is: SHA-256 of its JWS, 0x-hex. */
    static Bytes32 id(String hop) {
        return Sha256.hash(hop.substring(0, hop.indexOf('~') < 0 ? hop.length() : hop.indexOf('~'))
                .getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The audience a hop is addressed to: {@code aud} if given, else the {@code receiptSigner}
     * on the card of {@code server} (what Purser accepts as its own identity).
     */
    static String audience(Optional<String> aud, Optional<URI> server)
            throws IOException, InterruptedException {
        if (aud.isPresent()) {
            return aud.get();
        }
        URI base = server.orElseThrow(() -> new IllegalArgumentException("give --aud (the"
                + " server's receiptSigner, from its card) or --post, to read it from the card"));
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> card = client.send(HttpRequest.newBuilder(
                    Output.resolve(base, "/.well-known/agent-card.json"))
                    .timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            for (JsonNode ext : Output.JSON.readTree(card.body())
                    .at("/capabilities/extensions")) {
                if (MandateExtension.URI.equals(ext.path("uri").asText())
                        && ext.at("/params/receiptSigner").isTextual()) {
                    return ext.at("/params/receiptSigner").textValue();
                }
            }
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot connect to " + base + "; is the server running?", e);
        }
        throw new IllegalArgumentException(base + "'s card names no receiptSigner: give --aud");
    }
}
