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

        /*
         * The bounds on every wait for PostgreSQL (README "Database outages"): their defaults are
         * in application.properties, which hands them to the pools and the driver.
         */

        /** {@code PURSER_DB_ACQUISITION_TIMEOUT_SECONDS}: longest wait for a pooled connection. */
        @WithName("acquisition-timeout-seconds")
        int acquisitionTimeoutSeconds();

        /** {@code PURSER_DB_LOGIN_TIMEOUT_SECONDS}: longest a new connection may take to open. */
        @WithName("login-timeout-seconds")
        int loginTimeoutSeconds();

        /** {@code PURSER_DB_SOCKET_TIMEOUT_SECONDS}: longest wait for any answer on a connection. */
        @WithName("socket-timeout-seconds")
        int socketTimeoutSeconds();

        /** {@code PURSER_DB_STATEMENT_TIMEOUT_SECONDS}: PostgreSQL's statement_timeout; 0 = none. */
        @WithName("statement-timeout-seconds")
        int statementTimeoutSeconds();

        /** {@code PURSER_DB_HEALTH_TIMEOUT_SECONDS}: longest the readiness check waits. */
        @WithName("health-timeout-seconds")
        int healthTimeoutSeconds();
    }
}
