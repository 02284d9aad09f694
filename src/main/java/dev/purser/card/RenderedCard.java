package dev.purser.card;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The card's bytes, their strong ETag and when they were rendered (the {@code Last-Modified}, in
 * whole seconds as HTTP dates have), served identically at both well-known paths.
 */
public record RenderedCard(ObjectNode json, byte[] bytes, String etag, Instant lastModified) {

    static RenderedCard of(ObjectNode card, ObjectMapper mapper) {
        try {
            byte[] bytes = mapper.writeValueAsBytes(card);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new RenderedCard(card, bytes, "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"",
                    Instant.now().truncatedTo(ChronoUnit.SECONDS));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("the card always serialises", e);
        }
    }
}
