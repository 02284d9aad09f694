package dev.purser.mandate;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Schemas of {@code mandate-schemas/}, loaded from the classpath (the build packages the
 * folder the repository publishes, so the server validates with exactly the files clients read)
 * and applied with networknt's 2020-12 validator. Structure is checked here, once; meaning is
 * checked by the verifiers after.
 *
 * <p>Thread-safe: the compiled schemas are immutable and shared.
 */
public final class MandateSchemas {

    /** The base of every schema's {@code $id}; {@code $ref}s between the files resolve under it. */
    public static final String ID_BASE = "https://purser.dev/mandate-schemas/";

    /** One row per schema file. */
    public enum Kind {
        EIP712_MANDATE("eip712-mandate.schema.json"),
        AP2_SDJWT_MANDATE("ap2-sdjwt-mandate.schema.json"),
        AP2_OPEN_PAYMENT_MANDATE("ap2-open-payment-mandate.schema.json"),
        REVOKE("revoke.schema.json"),
        DRAW("draw.schema.json"),
        SESSION_KEY("session-key.schema.json"),
        POLICY("policy.schema.json");

        private final String file;

        Kind(String file) {
            this.file = file;
        }

        public String file() {
            return file;
        }
    }

    private static final MandateSchemas INSTANCE = new MandateSchemas();

    private final Map<Kind, Schema> schemas = new EnumMap<>(Kind.class);

    private MandateSchemas() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaIdResolvers(resolvers -> resolvers.mapPrefix(ID_BASE,
                        "classpath:mandate-schemas/")));
        for (Kind kind : Kind.values()) {
            Schema schema = registry.getSchema(SchemaLocation.of(ID_BASE + kind.file()));
            // Resolve every $ref now: a broken schema file must fail at start, not on a request.
            schema.initializeValidators();
            schemas.put(kind, schema);
        }
    }

    /** The schemas, compiled once per class loader. */
    public static MandateSchemas load() {
        return INSTANCE;
    }

    /**
     * Validates JSON text against one schema; empty when it is valid, else a refusal
     * {@code invalid} naming the first field at fault.
     */
    public Optional<MandateRefusal> validate(Kind kind, String json) {
        List<Error> errors = schemas.get(kind).validate(json, InputFormat.JSON);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        Error first = errors.getFirst();
        String field = field(first);
        String where = field.isEmpty() ? "the document" : field;
        return Optional.of(MandateRefusal.of(MandateRefusal.Reason.INVALID, field,
                where + ": " + first.getMessage() + " (" + kind.file() + ")"));
    }

    /**
     * The dotted path of the field at fault. For {@code required} and
     * {@code additionalProperties} the instance location is the enclosing object, and the
     * property itself is what the client needs to hear about.
     */
    private static String field(Error error) {
        StringBuilder path = new StringBuilder();
        NodePath location = error.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(element);
            }
        }
        String keyword = error.getKeyword();
        String property = error.getProperty();
        if (property != null && ("required".equals(keyword)
                || "additionalProperties".equals(keyword)
                || "unevaluatedProperties".equals(keyword))) {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(property);
        }
        return path.toString();
    }
}
