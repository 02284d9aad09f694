package dev.purser.boot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * Where the data lives (DESIGN §7). Read by {@link PurserMain} before Quarkus starts, and mapped
 * here so the keys are documented and checked.
 */
@ConfigMapping(prefix = "purser")
public interface DatabaseConfig {

    /** {@code PURSER_DATA_DIR}: the embedded PostgreSQL's files and the generated server key. */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();

    /** {@code PURSER_DB_*}: an external PostgreSQL; when the URL is set nothing embedded starts. */
    Db db();

    interface Db {
        /** {@code PURSER_DB_URL}: a JDBC URL such as jdbc:postgresql://host:5432/purser. */
        Optional<String> url();

        /** {@code PURSER_DB_USER}. */
        @WithDefault("postgres")
        String user();

        /** {@code PURSER_DB_PASSWORD}. */
        Optional<String> password();

        /** {@code PURSER_DB_POOL_SIZE}: connections per instance. */
        @WithName("pool-size")
        @WithDefault("32")
        int poolSize();
    }
}
