package dev.dblayer.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseProbes;
import dev.dblayer.db.PoolStatistics;
import dev.dblayer.internal.Errors;
import dev.dblayer.internal.SettingsReader;
import jakarta.enterprise.context.ApplicationScoped;
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
 *       ({@code DatabaseProbes.openUnpooled}), validated and closed, within the deadline. That tells long
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
public class DatabaseReadiness extends BoundedCheck {

    /** The deadline of one probe; with Redis's, well under Kubernetes' default 1 s probe timeout. */
    public static final String TIMEOUT = "database.health.timeout";
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
    /** The named sources' checks, by name; their answers are data of this one. */
    private final Map<String, DatabaseReadiness> sources;
    /** Which sources readiness needs: DOWN while one of them is. */
    private final Map<String, Boolean> required;
    private final ReplicaProbe replica;
    /** Runs the sources' and the replica's probes beside the main database's. */
    private final ExecutorService others;
    /** The application's class loader, which holds the JDBC driver; the probe threads may have another. */
    private final ClassLoader applicationLoader;
    private final BoundedProbe<Long> pooled;
    private final BoundedProbe<Long> own;

    /** For CDI's proxy. */
    protected DatabaseReadiness() {
        this.database = null;
        this.sources = null;
        this.required = null;
        this.replica = null;
        this.others = null;
        this.applicationLoader = null;
        this.pooled = null;
        this.own = null;
    }

    @Inject
    DatabaseReadiness(Database database, Config config) {
        this(NAME, database, config, "database");
    }

    /** The check of {@code database} (the main one, or a named source) named {@code name}. */
    private DatabaseReadiness(String name, Database database, Config config, String dependency) {
        super(name, config, TIMEOUT, LOG, dependency);
        this.database = database;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        this.applicationLoader = context != null ? context : DatabaseReadiness.class.getClassLoader();
        this.pooled = newProbe("dblayer-health-" + name);
        this.own = newProbe("dblayer-health-" + name + "-own");
        Map<String, DatabaseReadiness> checks = new LinkedHashMap<>();
        Map<String, Boolean> needed = new LinkedHashMap<>();
        boolean main = NAME.equals(name) && database != null;
        if (main) {
            for (String source : database.sourceNames()) {
                checks.put(source, new DatabaseReadiness(NAME + "." + source, database.source(source), config,
                        "database source " + source));
                needed.put(source, DatabaseProbes.required(database, source));
            }
        }
        this.sources = checks;
        this.required = needed;
        this.replica = main ? database.replica().map(replica -> new ReplicaProbe(replica,
                newProbe("dblayer-health-database-replica"))).orElse(null) : null;
        this.others = checks.isEmpty() && replica == null ? null : Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "dblayer-health-database-sources");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The main database's answer; with named sources, each source's status and data under its name
     * ({@code reports.status}, {@code reports.latencyMs}, ...), DOWN while a required one is; with a
     * replica, its state under {@code replica.*}, which never turns the check DOWN (docs/databases.md).
     */
    @Override
    HealthCheckResponse answer() {
        if (stopping()) {
            return shuttingDown(response());
        }
        if (others == null) {
            return callOwn();
        }
        Map<String, Future<HealthCheckResponse>> answers = new LinkedHashMap<>();
        sources.forEach((source, check) -> answers.put(source, others.submit(check::callOwn)));
        Future<Map<String, Object>> replicaState = replica == null ? null : others.submit(() -> replica.state(deadline()));
        HealthCheckResponse own = callOwn();
        HealthCheckResponseBuilder merged = response();
        own.getData().ifPresent(data -> data.forEach((key, value) -> put(merged, key, value)));
        boolean up = own.getStatus() == HealthCheckResponse.Status.UP;
        for (Map.Entry<String, Future<HealthCheckResponse>> answer : answers.entrySet()) {
            String source = answer.getKey();
            HealthCheckResponse sourceAnswer = await(answer.getValue(), source);
            merged.withData(source + ".status", sourceAnswer.getStatus().name());
            merged.withData(source + ".required", required.get(source));
            sourceAnswer.getData().ifPresent(data -> data.forEach((key, value) -> put(merged, source + "." + key, value)));
            if (required.get(source) && sourceAnswer.getStatus() != HealthCheckResponse.Status.UP) {
                up = false;
            }
        }
        if (replicaState != null) {
            awaitReplica(replicaState).forEach((key, value) -> put(merged, "replica." + key, value));
        }
        return merged.status(up).build();
    }

    /** A source's answer; its own probe is bounded by the deadline, so this waits a little beyond it at most. */
    private HealthCheckResponse await(Future<HealthCheckResponse> answer, String source) {
        try {
            return answer.get(deadline().toMillis() * 2 + 100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return HealthCheckResponse.named(NAME + "." + source).withData("reason", "no answer: "
                    + Errors.rootMessage(e)).down().build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named(NAME + "." + source).withData("reason", "interrupted").down().build();
        }
    }

    private Map<String, Object> awaitReplica(Future<Map<String, Object>> state) {
        try {
            return state.get(deadline().toMillis() * 2 + 100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return Map.of("status", "DOWN", "reason", "no answer: " + Errors.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of("status", "DOWN", "reason", "interrupted");
        }
    }

    private static void put(HealthCheckResponseBuilder response, String key, Object value) {
        if (value instanceof Number number) {
            response.withData(key, number.longValue());
        } else if (value instanceof Boolean bool) {
            response.withData(key, bool);
        } else {
            response.withData(key, String.valueOf(value));
        }
    }

    @Override
    void closeResources() {
        if (others != null) {
            others.shutdownNow();
            sources.values().forEach(DatabaseReadiness::close);
        }
    }

    /** This check's own database alone. */
    private HealthCheckResponse callOwn() {
        HealthCheckResponseBuilder response = response()
                .withData("type", SettingsReader.settingName(database.settings().type()))
                .withData("target", database.settings().describe());
        PoolStatistics pool = database.poolStatistics().orElse(null);
        poolData(response, pool);
        switch (route(pool, DatabaseProbes.isDeployed(database), deadline())) {
            case PROGRESS -> {
                return passed(response.withData("pool", state(pool)).withData("proof", "progress"));
            }
            case OWN_CONNECTION -> {
                response.withData("pool", state(pool));
                String stuck = "pool " + state(pool) + " and no connection returned for "
                        + pool.sinceLastReturned().toMillis() + " ms; ";
                return run(response.withData("proof", "own connection"), own, this::ownConnection,
                        stuck + "the database did not answer a connection of the check's own within ", stuck);
            }
            default -> {
                return run(response, pooled, this::pooledConnection, "no valid connection within ", "");
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
        try (Connection connection = DatabaseProbes.openUnpooled(database.settings(), applicationLoader, deadline())) {
            validate(connection);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void validate(Connection connection) throws SQLException {
        if (!connection.isValid((int) Math.max(1, deadline().toSeconds()))) {
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
}
