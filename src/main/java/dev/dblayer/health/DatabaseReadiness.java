package dev.dblayer.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import com.zaxxer.hikari.HikariPoolMXBean;

import dev.dblayer.config.Errors;
import dev.dblayer.config.Lifecycle;
import dev.dblayer.config.SettingsReader;
import dev.dblayer.db.Database;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Readiness check {@code database}: a valid pooled connection within {@code database.health.timeout}.
 *
 * <p>UP data: type, target, latency in ms and the pool's active / idle / waiting / max counts.
 * DOWN data: the reason. While the persistence unit is not deployed (the database was down at
 * startup) each probe deploys it first, so the schema is generated as soon as the database answers.
 *
 * <p>A full pool is not an outage: when every connection is in use and requests are waiting, the
 * check borrows nothing and stays UP with {@code pool: saturated}; taking the pod out of the
 * load balancer would only move its load to the other pods.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    /** The deadline of one probe; with Redis's, well under Kubernetes' default 1 s probe timeout. */
    public static final String TIMEOUT = "database.health.timeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(300);
    static final String NAME = "database";

    private static final Logger LOG = Logger.getLogger(DatabaseReadiness.class.getName());

    private final Database database;
    private final Duration timeout;
    private final BoundedProbe<Long> probe = new BoundedProbe<>("dblayer-health-database");
    private final FailureLog failures = new FailureLog(LOG, "database");
    /** Why the last finished probe failed, or null after a success: a probe outliving the deadline hides it otherwise. */
    private volatile String lastFailure;

    /** For CDI's proxy. */
    protected DatabaseReadiness() {
        this.database = null;
        this.timeout = null;
    }

    @Inject
    DatabaseReadiness(Database database, Config config) {
        this.database = database;
        this.timeout = SettingsReader.of(config).duration(TIMEOUT, DEFAULT_TIMEOUT, Duration.ofMillis(50));
    }

    /** Created at startup, while the application's configuration is in reach (Payara's /health thread has not). */
    void onStart(@Observes @Priority(Lifecycle.HEALTH_START) @Initialized(ApplicationScoped.class)
            Object applicationStarted) {
        LOG.fine(() -> "dblayer: database readiness check, deadline " + SettingsReader.format(timeout));
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("type", SettingsReader.settingName(database.settings().type()))
                .withData("target", database.settings().describe());
        HikariPoolMXBean pool = database.poolStatistics().orElse(null);
        if (pool != null && database.isDeployed() && saturated(pool)) {
            return poolData(response, pool).withData("pool", "saturated").up().build();
        }
        try {
            long latencyMillis = probe.run(this::recordedProbe, timeout);
            failures.recovered();
            return poolData(response, pool).withData("latencyMs", latencyMillis).up().build();
        } catch (TimeoutException e) {
            String last = lastFailure;
            return down(response, pool, "no valid connection within " + SettingsReader.format(timeout)
                    + (last == null ? "" : "; last attempt: " + last), null);
        } catch (ExecutionException e) {
            return down(response, pool, Errors.rootMessage(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(response, pool, "interrupted", null);
        }
    }

    private long recordedProbe() throws SQLException {
        try {
            long latency = validConnection();
            lastFailure = null;
            return latency;
        } catch (SQLException | RuntimeException e) {
            lastFailure = Errors.rootMessage(e);
            throw e;
        }
    }

    private long validConnection() throws SQLException {
        long start = System.nanoTime();
        database.entityManagerFactory(); // deploys the unit (and generates the schema) if not yet done
        try (Connection connection = database.dataSource().getConnection()) {
            if (!connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
                throw new SQLException("the database did not validate the connection");
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static boolean saturated(HikariPoolMXBean pool) {
        return pool.getThreadsAwaitingConnection() > 0 && pool.getIdleConnections() == 0;
    }

    private HealthCheckResponseBuilder poolData(HealthCheckResponseBuilder response, HikariPoolMXBean pool) {
        if (pool == null) {
            return response;
        }
        return response.withData("pool.active", pool.getActiveConnections())
                .withData("pool.idle", pool.getIdleConnections())
                .withData("pool.waiting", pool.getThreadsAwaitingConnection())
                .withData("pool.max", database.settings().pool().maxSize());
    }

    private HealthCheckResponse down(HealthCheckResponseBuilder response, HikariPoolMXBean pool, String reason,
            Throwable cause) {
        failures.failed(reason, cause);
        return poolData(response, pool).withData("reason", reason).down().build();
    }

    void onStop(@Observes @Priority(Lifecycle.HEALTH_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    @PreDestroy
    void close() {
        probe.close();
    }
}
