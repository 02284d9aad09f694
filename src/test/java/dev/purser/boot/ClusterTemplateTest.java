package dev.purser.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh data directory copied from the initdb template is a working cluster that takes every
 * migration; a template that is damaged or incomplete is rebuilt, never copied.
 */
class ClusterTemplateTest {

    @TempDir
    Path tmp;
    private ClusterTemplate template;

    @BeforeEach
    void binaries() {
        // The test JVM's own database (testing.TestDatabase) has unpacked them.
        template = new ClusterTemplate(PgBinaries.unpacked().orElseThrow(), tmp.resolve("templates"));
    }

    @Test
    void aFreshDataDirectoryFromTheTemplateTakesTheFullSchema() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        template.copyTo(data.resolve("pg"));

        assertArrayEquals(bytes(template.directory().resolve("data/global/pg_control")),
                bytes(data.resolve("pg/global/pg_control")), "a copy of the template");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            int applied = Flyway.configure().dataSource(db.jdbcUrl(), db.user(), "")
                    .locations("classpath:db/migration").outOfOrder(true).load().migrate().migrationsExecuted;
            long files;
            try (var list = Files.list(Path.of("src/main/resources/db/migration"))) {
                files = list.filter(p -> p.getFileName().toString().endsWith(".sql")).count();
            }
            assertEquals(files, applied, "every migration applied");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
                    ResultSet rs = c.createStatement().executeQuery(
                            "select count(*) from flyway_schema_history where success")) {
                rs.next();
                assertEquals(files, rs.getLong(1));
            }
        }
    }

    @Test
    void aDamagedTemplateIsRebuiltNotCopied() throws Exception {
        template.copyTo(tmp.resolve("first"));
        Path control = template.directory().resolve("data/global/pg_control");
        byte[] zeros = new byte[(int) Files.size(control)];
        Files.write(control, zeros);

        Path data = tmp.resolve("second");
        Files.createDirectories(data);
        template.copyTo(data.resolve("pg"));

        assertFalse(Arrays.equals(zeros, bytes(data.resolve("pg/global/pg_control"))), "not the damaged file");
        assertFalse(Arrays.equals(zeros, bytes(control)), "the template was rebuilt");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
                Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
                ResultSet rs = c.createStatement().executeQuery("select 1")) {
            assertTrue(rs.next());
        }
    }

    @Test
    void anIncompleteTemplateIsRebuiltNotCopied() throws Exception {
        template.copyTo(tmp.resolve("first"));
        Files.delete(template.directory().resolve("data/PG_VERSION"));

        template.copyTo(tmp.resolve("second"));
        assertTrue(Files.isRegularFile(tmp.resolve("second/PG_VERSION")), "a whole cluster");

        Files.delete(template.directory().resolve("manifest")); // as if cut before it was written
        template.copyTo(tmp.resolve("third"));
        assertTrue(Files.isRegularFile(template.directory().resolve("manifest")), "rebuilt");
        assertTrue(Files.isRegularFile(tmp.resolve("third/PG_VERSION")));
        try (var left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".partial-")),
                    "no half-made copies left behind");
        }
    }

    private static byte[] bytes(Path p) throws Exception {
        return Files.readAllBytes(p);
    }
}
