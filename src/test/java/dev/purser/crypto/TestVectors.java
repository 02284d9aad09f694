package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the vectors copied from /work/shared/spec/vectors.md into src/test/resources/crypto. */
final class TestVectors {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Anvil / Hardhat account #0, a publicly known development key: never fund it. */
    static final String ANVIL_0_KEY =
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    static final String ANVIL_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    /** Anvil / Hardhat account #1. */
    static final String ANVIL_1_KEY =
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    static final String ANVIL_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    private TestVectors() {
    }

    static JsonNode json(String name) {
        try {
            return MAPPER.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        try (InputStream in = TestVectors.class.getResourceAsStream("/crypto/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource crypto/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TypedData typedData(String name) {
        return TypedData.fromJson(json(name));
    }
}
