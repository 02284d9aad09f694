package dev.purser.boot;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of both pools (the JDBC stores' and Hibernate's), answered within
 * {@code PURSER_DB_HEALTH_TIMEOUT_SECONDS} whatever the database does: Quarkus's own check (turned off in
 * application.properties) waits as long as the database does, which for a hung one is forever.
 * A check still running after the deadline ends by itself at the driver's socket timeout.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private static final Executor CHECKS = r -> Thread.ofVirtual().name("db-readiness").start(r);

    private final Map<String, AgroalDataSource> pools = new LinkedHashMap<>();
    private final DatabaseConfig config;

    DatabaseReadiness(AgroalDataSource db, @DataSource("orm") AgroalDataSource orm,
            DatabaseConfig config) {
        pools.put("<default>", db);
        pools.put("orm", orm);
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, CompletableFuture<String>> checks = new LinkedHashMap<>();
        pools.forEach((name, pool) -> checks.put(name,
                CompletableFuture.supplyAsync(() -> check(pool), CHECKS)));
        long deadline = System.nanoTime()
                + TimeUnit.SECONDS.toNanos(config.db().healthTimeoutSeconds());
        HealthCheckResponseBuilder b = HealthCheckResponse.named("Database connections").up();
        for (Map.Entry<String, CompletableFuture<String>> c : checks.entrySet()) {
            String state;
            try {
                state = c.getValue().get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                state = "no answer within " + config.db().healthTimeoutSeconds() + " s";
            } catch (ExecutionException e) {
                state = "failed: " + e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                state = "interrupted";
            }
            if (!state.equals("UP")) {
                b.down();
            }
            b.withData(c.getKey(), state);
        }
        return b.build();
    }

    private static String check(AgroalDataSource pool) {
        try {
            return pool.isHealthy(false) ? "UP" : "validation failed";
        } catch (SQLException e) {
            return "failed: " + e.getMessage();
        }
    }
}
