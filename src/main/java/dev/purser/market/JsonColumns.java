package dev.purser.market;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.secrets.ColumnSecrets;
import dev.purser.secrets.SealedColumn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * The JSON text columns of the market tables (headers, tags, modes): written by this code only, so
 * a column that does not parse is a bug, not bad input. The header columns hold credentials and
 * are sealed ({@link ColumnSecrets}), bound to their row's id.
 */
@ApplicationScoped
class JsonColumns {

    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    static final SealedColumn PROVIDER_HEADERS =
            new SealedColumn("market_provider", "headers", "id");
    static final SealedColumn UPSTREAM_HEADERS =
            new SealedColumn("market_upstream", "headers", "id");

    private final ObjectMapper json;
    private final ColumnSecrets secrets;

    JsonColumns(ObjectMapper json, ColumnSecrets secrets) {
        this.json = json;
        this.secrets = secrets;
    }

    /** The headers stored in {@code column} of row {@code id}, opened. */
    Map<String, String> headers(SealedColumn column, String stored, String id) {
        return map(secrets.open(column, stored, id));
    }

    /** {@code headers} sealed for {@code column} of row {@code id}. */
    String sealHeaders(SealedColumn column, Map<String, String> headers, String id) {
        return secrets.seal(column, write(headers), id);
    }

    @Produces
    @Singleton
    static SealedColumn providerHeaders() {
        return PROVIDER_HEADERS;
    }

    @Produces
    @Singleton
    static SealedColumn upstreamHeaders() {
        return UPSTREAM_HEADERS;
    }

    Map<String, String> map(String object) {
        return read(object, STRINGS);
    }

    List<String> list(String array) {
        return read(array, LIST);
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("market: a JSON column always serialises", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("market: a stored JSON column does not parse", e);
        }
    }
}
