package dev.dblayer.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.dblayer.config.Errors;
import dev.dblayer.config.Lifecycle;
import dev.dblayer.config.SettingsReader;
import dev.dblayer.db.Database;
import dev.dblayer.db.DirectConnection;
import dev.dblayer.db.PoolStatistics;
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
 * <p>UP data: type, target, latency in ms and the pool's counts (active, idle, waiting, max,
 * acquired, returned, timeouts, ms since a connection was last returned). DOWN data: the reason.
 * While the persistence unit is not deployed (the database was down at startup) each probe deploys
 * it first, so the schema is generated as soon as the database answers.
 *
 * <p>A full pool is not an outage, but it looks like one: every connection in use and requests
 * waiting is also what a pool shows when its database has died or hung under load. So when the pool
 * is busy (nothing idle, and requests waiting: {@code saturated}, or every connection in use:
 * {@code full}) the check does not borrow (it would only queue behind the requests) and asks for
 * proof that the database still works, the cheaper proof first:
 * <ol>
 *   <li><b>progress</b>: a connection came back to the pool within the last
 *       {@code database.health.timeout}. Queries are finishing, so the database answers: UP,
 *       {@code pool: saturated}, {@code proof: progress}, at no cost. Connections returned because
 *       they broke count too, but only once each: after an outage no new connection can be made,
 *       returns stop, and this proof expires within one deadline;</li>
 *   <li><b>its own connection</b>: otherwise a new connection outside the pool
 *       ({@link DirectConnection}), validated and closed, within the deadline. That tells long
 *       queries holding every connection (UP, {@code proof: own connection}) from a database that
 *       refuses, resets or does not answer (DOWN with the driver's reason, or "did not answer
 *       within").</li>
 * </ol>
 * Progress alone would not do: long queries return nothing for seconds while the database is fine.
 * The own connection alone would open one at every probe of a pool that is merely busy.
 *
 * <p>A new connection per such probe rather than one kept open: the pool's own connections cost
 * nothing extra while it is healthy or busy with short queries, a kept connection would hold a
 * database session beyond {@code pool.size + pool.max-overflow} for the application's whole life,
 * and a kept connection can die unnoticed between probes. A new connection costs a few ms, only
 * while nothing has come back for longer than the deadline. So a database that dies under load
 * turns the check DOWN at the first probe after one deadline without returns, which answers within
 * its own deadline: about {@code 2 × database.health.timeout} plus one probe period (measured
 * 318-645 ms with back-to-back probes, docs/health.md). The own-connection attempt runs on a probe
 * thread of its own, so a borrowing probe stuck behind the pool never delays it.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    /** The deadline of one probe; with Redis's, well under Kubernetes' default 1 s probe timeout. */
    public static final String TIMEOUT = "database.health.timeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(300);
    static final String NAME = "database";

    private static final Logger LOG = Logger.getLogger(DatabaseReadiness.class.getName());

    /** How one probe learns whether the database answers. */
    enum Route {
        /** Borrow a pooled connection and validate it: the pool has one free, or may open one. */
        BORROW,
        /** None: the busy pool got a connection back within the deadline. */
        PROGRESS,
        /** Open, validate and close a connection outside the busy pool, which has shown no progress. */
        OWN_CONNECTION
    }

    private final Database database;
    private final Duration timeout;
    /** The application's class loader, which holds the JDBC driver; the probe threads may have another. */
    private final ClassLoader applicationLoader;
    private final RecordedProbe pooled = new RecordedProbe("dblayer-health-database");
    private final RecordedProbe own = new RecordedProbe("dblayer-health-database-own");
    private final FailureLog failures = new FailureLog(LOG, "database");

    /** For CDI's proxy. */
    protected DatabaseReadiness() {
        this.database = null;
        this.timeout = null;
        this.applicationLoader = null;
    }

    @Inject
    DatabaseReadiness(Database database, Config config) {
        this.database = database;
        this.timeout = SettingsReader.of(config).duration(TIMEOUT, DEFAULT_TIMEOUT, Duration.ofMillis(50));
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        this.applicationLoader = context != null ? context : DatabaseReadiness.class.getClassLoader();
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
        PoolStatistics pool = database.poolStatistics().orElse(null);
        poolData(response, pool);
        switch (route(pool, database.isDeployed(), timeout)) {
            case PROGRESS -> {
                failures.recovered();
                return response.withData("pool", state(pool)).withData("proof", "progress").up().build();
            }
            case OWN_CONNECTION -> {
                response.withData("pool", state(pool));
                String stuck = "pool " + state(pool) + " and no connection returned for "
                        + pool.sinceLastReturned().toMillis() + " ms; ";
                return probe(response.withData("proof", "own connection"), own, this::ownConnection,
                        stuck + "the database did not answer a connection of the check's own within ", stuck);
            }
            default -> {
                return probe(response, pooled, this::pooledConnection, "no valid connection within ", "");
            }
        }
    }

    /**
     * How to probe: borrow unless the pool is busy (nothing idle, and requests waiting or every
     * connection in use), where a borrow would only queue; then accept recent progress as proof,
     * else check on a connection of the check's own. Always borrow before the persistence unit is
     * deployed: that probe deploys it.
     *
     * @param pool null with the server's DataSource
     */
    static Route route(PoolStatistics pool, boolean deployed, Duration window) {
        if (pool == null || !deployed || !busy(pool)) {
            return Route.BORROW;
        }
        return pool.sinceLastReturned().compareTo(window) <= 0 ? Route.PROGRESS : Route.OWN_CONNECTION;
    }

    private static boolean busy(PoolStatistics pool) {
        return pool.idle() == 0 && (pool.waiting() > 0 || pool.active() >= pool.max());
    }

    /** {@code saturated} when requests wait for a connection, {@code full} when all are in use and none waits. */
    private static String state(PoolStatistics pool) {
        return pool.saturated() ? "saturated" : "full";
    }

    private HealthCheckResponse probe(HealthCheckResponseBuilder response, RecordedProbe probe,
            Callable<Long> attempt, String timedOut, String context) {
        try {
            long latencyMillis = probe.run(attempt, timeout);
            failures.recovered();
            return response.withData("latencyMs", latencyMillis).up().build();
        } catch (TimeoutException e) {
            String last = probe.lastFailure();
            return down(response, timedOut + SettingsReader.format(timeout)
                    + (last == null ? "" : "; last attempt: " + last), null);
        } catch (ExecutionException e) {
            return down(response, context + Errors.rootMessage(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(response, "interrupted", null);
        }
    }

    private long pooledConnection() throws SQLException {
        long start = System.nanoTime();
        database.entityManagerFactory(); // deploys the unit (and generates the schema) if not yet done
        try (Connection connection = database.dataSource().getConnection()) {
            validate(connection);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private long ownConnection() throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = DirectConnection.open(database.settings(), applicationLoader, timeout)) {
            validate(connection);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void validate(Connection connection) throws SQLException {
        if (!connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
            throw new SQLException("the database did not validate the connection");
        }
    }

    private HealthCheckResponseBuilder poolData(HealthCheckResponseBuilder response, PoolStatistics pool) {
        if (pool == null) {
            return response;
        }
        return response.withData("pool.active", pool.active())
                .withData("pool.idle", pool.idle())
                .withData("pool.waiting", pool.waiting())
                .withData("pool.max", pool.max())
                .withData("pool.acquired", pool.acquired())
                .withData("pool.returned", pool.returned())
                .withData("pool.timeouts", pool.timeouts())
                .withData("pool.sinceLastReturnedMs", pool.sinceLastReturned().toMillis());
    }

    private HealthCheckResponse down(HealthCheckResponseBuilder response, String reason, Throwable cause) {
        failures.failed(reason, cause);
        return response.withData("reason", reason).down().build();
    }

    void onStop(@Observes @Priority(Lifecycle.HEALTH_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    @PreDestroy
    void close() {
        pooled.close();
        own.close();
    }

    /**
     * A {@link BoundedProbe} that remembers why its last finished attempt failed: an attempt
     * outliving the deadline would hide it otherwise.
     */
    private static final class RecordedProbe implements AutoCloseable {

        private final BoundedProbe<Long> probe;
        private volatile String lastFailure;

        RecordedProbe(String threadName) {
            this.probe = new BoundedProbe<>(threadName);
        }

        long run(Callable<Long> attempt, Duration deadline)
                throws TimeoutException, ExecutionException, InterruptedException {
            return probe.run(() -> {
                try {
                    long result = attempt.call();
                    lastFailure = null;
                    return result;
                } catch (Exception e) {
                    lastFailure = Errors.rootMessage(e);
                    throw e;
                }
            }, deadline);
        }

        /** Why the last finished attempt failed, or null after a success. */
        String lastFailure() {
            return lastFailure;
        }

        @Override
        public void close() {
            probe.close();
        }
    }
}
