package dev.purser.card;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The card's bytes and their strong ETag, served identically at both well-known paths. */
public record RenderedCard(ObjectNode json, byte[] bytes, String etag) {

    static RenderedCard of(ObjectNode card, ObjectMapper mapper) {
        try {
            byte[] bytes = mapper.writeValueAsBytes(card);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new RenderedCard(card, bytes, "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"");
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("the card always serialises", e);
        }
    }
}
