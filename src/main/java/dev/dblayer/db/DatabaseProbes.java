package dev.dblayer.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.dblayer.internal.PoolEvents;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.internal.Tracing;

/**
 * What dblayer's health checks need of the database beyond {@link Database}'s API, and nothing
 * more: whether the persistence unit is deployed, its name, a connection outside the pool, and how
 * many transactions are running (for the wait at shutdown); the named sources' and the replica's state.
 * Public only because the checks live in another package; not for applications.
 */
public final class DatabaseProbes {

    private DatabaseProbes() {
    }

    /** Whether {@code database}'s persistence unit is deployed (its schema generated). */
    public static boolean isDeployed(Database database) {
        return database.isDeployed();
    }

    /** The name of the persistence unit {@code database} deploys. */
    public static String persistenceUnitName(Database database) {
        return database.persistenceUnitName();
    }

    /**
     * How many transactions begun by {@code @Transactional} or {@code Transactions} on
     * {@code database} are running now (begun, not yet committed or rolled back).
     */
    public static int transactionsInFlight(Database database) {
        return database.transactionsInFlight().count();
    }

    /**
     * A new connection outside the pool, through the JDBC driver that {@code loader} holds, opened
     * within {@code timeout}; the caller closes it.
     */
    public static Connection openUnpooled(DatabaseSettings settings, ClassLoader loader, Duration timeout)
            throws SQLException {
        return DirectConnection.open(settings, loader, timeout);
    }

    /** Whether the named source {@code name} of {@code main} is needed for readiness ({@code database.sources.NAME.required}). */
    public static boolean required(Database main, String name) {
        return DatabaseSettings.sourceRequired(SettingsReader.of(main.config()), name);
    }

    /** Whether {@code replica} is in an outage: its reads go to the primary now, or fail. */
    public static boolean replicaDown(Database replica) {
        return replica.replicaDown();
    }

    /** {@code database.replica.fallback} of {@code replica}. */
    public static boolean replicaFallback(Database replica) {
        return DatabaseSettings.replicaFallback(SettingsReader.of(replica.config()));
    }

    /** A connection of the replica's own pool, never the primary's; the caller closes it. */
    public static Connection replicaConnection(Database replica) throws SQLException {
        return replica.replicaPool().getConnection();
    }

    /**
     * How far the server {@code connection} is on lags its primary: PostgreSQL's
     * {@code now() - pg_last_xact_replay_timestamp()} (zero when it has replayed all it received),
     * MySQL's and MariaDB's {@code Seconds_Behind_Source} or {@code Seconds_Behind_Master}. Empty
     * when the server is not replaying (not a standby, or its replication stopped).
     */
    public static Optional<Duration> replicationLag(Connection connection, DatabaseType type) throws SQLException {
        return ReplicationLag.of(connection, type);
    }

    /**
     * The pools dblayer owns for {@code main}, by HikariCP pool name: {@code dblayer} (the main
     * database's), {@code dblayer-NAME} (each named source's), {@code dblayer-replica}; a database on
     * the server's DataSource has none.
     */
    public static Map<String, Database> pools(Database main) {
        Map<String, Database> pools = new LinkedHashMap<>();
        List<Database> all = new ArrayList<>();
        all.add(main);
        main.sourceNames().forEach(name -> all.add(main.source(name)));
        main.replica().ifPresent(all::add);
        for (Database database : all) {
            database.poolName().ifPresent(name -> pools.put(name, database));
        }
        return pools;
    }

    /** Sends the spans of {@code main}'s transactions (over every source) to {@code tracing}. */
    public static void trace(Database main, Tracing tracing) {
        main.trace(tracing);
    }

    /** Reports every borrow, return, new connection and timeout of {@code database}'s own pool to {@code events}. */
    public static void listen(Database database, PoolEvents events) {
        database.listen(events);
    }
}
