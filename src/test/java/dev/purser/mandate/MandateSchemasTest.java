package dev.purser.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The published files agree with the code that verifies. */
class MandateSchemasTest {

    @Test
    void typesJsonIsWhatTheCardPublishes() throws IOException {
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("mandate-schemas/types.json")) {
            JsonNode published = Fixtures.JSON.readTree(in);
            // Compared as parsed trees: the file's numbers parse as ints, the code puts longs.
            assertEquals(Fixtures.JSON.readTree(MandateExtension.params(84532).toString()),
                    published,
                    "regenerate mandate-schemas/types.json from MandateExtension.params(84532)");
        }
    }

    @Test
    void everySchemaLoadsAndResolvesItsReferences() {
        MandateSchemas schemas = MandateSchemas.load();
        for (MandateSchemas.Kind kind : MandateSchemas.Kind.values()) {
            // An empty object is invalid for each; what matters is that validation runs.
            assertEquals("invalid", schemas.validate(kind, "{}").orElseThrow().code());
        }
    }
}
