package dev.dblayer.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.Config;

import com.zaxxer.hikari.HikariDataSource;

import dev.dblayer.internal.Errors;
import dev.dblayer.internal.Lifecycle;
import dev.dblayer.internal.PoolEvents;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.internal.Tracing;
import dev.dblayer.migration.Migrations;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;

/**
 * The application's database: its settings, its connection pool and its deployed persistence unit.
 *
 * <p>Started when the application starts: the settings are read and validated (an invalid value
 * fails the deployment), the pool is built and the persistence unit deployed, which generates the
 * schema. Closed when the application stops: the persistence unit, then the pool.
 *
 * <p>Most code injects {@link jakarta.persistence.EntityManager} instead; this bean is for code that
 * needs the pool itself:
 * <pre>{@code
 * @Inject Database database;
 * try (Connection c = database.dataSource().getConnection()) { ... }
 * }</pre>
 *
 * Thread-safe.
 */
@ApplicationScoped
public class Database {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    /** The least time between the end of a failed attempt to deploy the unit and the start of the next. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    /** The bound of the startup connection attempt, so that a database that is down delays no deployment long. */
    static final Duration STARTUP_ATTEMPT = Duration.ofSeconds(5);

    /** What {@link #start()} built; never changes once published. */
    private record Started(DatabaseSettings settings, PersistenceUnits.DeclaredUnit unit, DataSource dataSource,
            HikariDataSource pool, ClassLoader applicationLoader, PrimaryKeyGenerator generator) {

        String unitName() {
            return unit.name();
        }
    }

    /** A failed deployment attempt and when it ended. */
    private record Failure(RuntimeException cause, long endedNanos) {
    }

    /** Which database an instance is. */
    enum Role {
        /** The application's database: {@code database.*}, the unqualified {@code EntityManager}. */
        MAIN,
        /** A named data source: {@code database.sources.NAME.*}, {@code @Source("NAME")}. */
        SOURCE,
        /** The main database's read replica: {@code database.replica.*}, {@code @Replica}. */
        REPLICA
    }

    private final Config config;
    private final Role role;
    /** The source's name; {@code replica} for the replica; empty for the main database. */
    private final String name;
    /** The main database, for a source or the replica; null for the main database itself. */
    private final Database main;
    private final Instance<PrimaryKeyGenerator> generators;
    /** The generator given directly, outside CDI (tests); null in a container. */
    private final PrimaryKeyGenerator givenGenerator;
    private final Object startLock = new Object();
    /** Held by the one request that is deploying the unit; every other request fails at once meanwhile. */
    private final ReentrantLock deploying = new ReentrantLock();
    private volatile Started started;
    private volatile EntityManagerFactory factory;
    private volatile Failure lastFailure;
    private volatile boolean closed;
    private final TransactionsInFlight transactionsInFlight;
    /** The main database's named sources, in {@code database.sources} order, once started. */
    private volatile Map<String, Database> sources = Map.of();
    /** The main database's replica, once started; null without {@code database.replica.*}. */
    private volatile Database replica;
    /** Where the spans of transactions go ({@code dev.dblayer.metrics}); none by default. */
    private volatile Tracing tracing = Tracing.NONE;

    /** For CDI's proxy. */
    protected Database() {
        this((Config) null, null, null);
    }

    /** {@code generators}: the snowflake ids' maker, needed with {@code database.pk-mode=snowflake}. */
    @Inject
    Database(Config config, Instance<PrimaryKeyGenerator> generators) {
        this(config, generators, null);
    }

    /** Outside a container: {@code generator} makes the snowflake ids (null: autoincrement only). */
    Database(Config config, PrimaryKeyGenerator generator) {
        this(config, null, generator);
    }

    /** Outside a container, for autoincrement ids. */
    Database(Config config) {
        this(config, null, null);
    }

    private Database(Config config, Instance<PrimaryKeyGenerator> generators, PrimaryKeyGenerator givenGenerator) {
        this.config = config;
        this.role = Role.MAIN;
        this.name = "";
        this.main = null;
        this.generators = generators;
        this.givenGenerator = givenGenerator;
        this.transactionsInFlight = new TransactionsInFlight();
    }

    /** A source or the replica of {@code main}: its configuration and ids' maker, its count of transactions. */
    private Database(Database main, Role role, String name) {
        this.config = main.config;
        this.role = role;
        this.name = name;
        this.main = main;
        this.generators = main.generators;
        this.givenGenerator = main.givenGenerator;
        this.transactionsInFlight = main.transactionsInFlight;
    }

    void onStart(@Observes @Priority(Lifecycle.DATABASE_START) @Initialized(ApplicationScoped.class)
            Object applicationStarted) {
        start();
    }

    /**
     * Fails the deployment if an {@code @Source} injection point names a source that is not
     * configured. The extension comes from the BeanManager: Weld refuses to inject an extension of a
     * final class.
     */
    void checkSources(@Observes @Priority(Lifecycle.DATABASE_START + 1) @Initialized(ApplicationScoped.class)
            Object applicationStarted, BeanManager beans) {
        beans.getExtension(SourceInjectionCheck.class).check(sourceNames());
    }

    void start() {
        synchronized (startLock) {
            if (closed) {
                throw closedError();
            }
            if (started == null) {
                started = build();
                firstDeployment(started);
                if (role == Role.MAIN) {
                    startOthers();
                }
            }
        }
    }

    /**
     * Starts the named sources and the replica. A failure (a bad setting, or a source that is down
     * with fail-fast) closes what was started, this database too, and fails the deployment.
     */
    private void startOthers() {
        SettingsReader reader = SettingsReader.of(config);
        Map<String, Database> built = new LinkedHashMap<>();
        try {
            for (String source : DatabaseSettings.sourceNames(reader)) {
                Database database = new Database(this, Role.SOURCE, source);
                built.put(source, database);
                database.start();
            }
            if (DatabaseSettings.readReplica(reader, started.settings()).isPresent()) {
                Database builtReplica = new Database(this, Role.REPLICA, "replica");
                built.put("replica", builtReplica);
                builtReplica.start();
                replica = builtReplica;
                built.remove("replica");
            }
        } catch (RuntimeException e) {
            built.values().forEach(Database::close);
            if (replica != null) {
                replica.close();
            }
            close();
            throw e;
        }
        sources = Collections.unmodifiableMap(built);
    }

    private Started build() {
        SettingsReader reader = SettingsReader.of(config);
        DatabaseSettings settings = switch (role) {
            case MAIN -> DatabaseSettings.read(reader);
            case SOURCE -> DatabaseSettings.readSource(reader, name);
            case REPLICA -> DatabaseSettings.readReplica(reader, main.settings()).orElseThrow();
        };
        ClassLoader applicationLoader = Thread.currentThread().getContextClassLoader();
        PersistenceUnits.DeclaredUnit unit = switch (role) {
            case MAIN -> PersistenceUnits.choose(settings, applicationLoader);
            case SOURCE -> PersistenceUnits.choose(settings.persistenceUnit().or(() -> Optional.of(
                    PersistenceUnits.declares(name, applicationLoader) ? name : main.persistenceUnitName())),
                    DatabaseSettings.sourcePrefix(name) + "persistence-unit", applicationLoader);
            case REPLICA -> main.started().unit();
        };
        requirePlatform(settings);
        PrimaryKeyGenerator generator = generator(settings);
        if (settings.dataSource().isPresent()) {
            ServerDataSource server = new ServerDataSource(settings.dataSource().get());
            if (settings.failFast()) {
                server.target(); // bound now, or the deployment fails naming the setting
            }
            return new Started(settings, unit, server, null, applicationLoader, generator);
        }
        requireDriver(settings);
        // Everything that can refuse a setting comes before the pool, which starts its threads when built.
        boolean fallback = role == Role.REPLICA && DatabaseSettings.replicaFallback(reader);
        HikariDataSource pool = ConnectionPool.create(settings, role == Role.MAIN ? ConnectionPool.POOL_NAME
                : ConnectionPool.POOL_NAME + "-" + name, role == Role.REPLICA);
        DataSource dataSource = settings.poolEcho() ? new CheckoutLoggingDataSource(pool) : pool;
        if (role == Role.REPLICA) {
            dataSource = new ReplicaRoute(dataSource, main::dataSource, fallback, settings.describe());
        }
        return new Started(settings, unit, dataSource, pool, applicationLoader, generator);
    }

    /** The ids' maker the settings need: none for autoincrement; the one bean there is for snowflake. */
    private PrimaryKeyGenerator generator(DatabaseSettings settings) {
        if (settings.pkMode() == DatabaseSettings.PkMode.AUTOINCREMENT) {
            return PersistenceUnits.NO_GENERATOR;
        }
        if (givenGenerator != null) {
            return givenGenerator;
        }
        if (generators == null || !generators.isResolvable()) {
            throw new IllegalStateException(DatabaseSettings.PK_MODE + " is snowflake but the application has "
                    + (generators == null || generators.isUnsatisfied() ? "no" : "more than one")
                    + " CDI bean of type " + PrimaryKeyGenerator.class.getName()
                    + " (dblayer's dev.dblayer.snowflake.Snowflake is one: is dblayer's jar in WEB-INF/lib?)");
        }
        return generators.get();
    }

    private void firstDeployment(Started at) {
        LOG.info(() -> "dblayer: persistence unit " + at.unitName() + role() + " on " + at.settings().describe());
        if (role == Role.MAIN) {
            PersistenceUnits.overrideWarning(at.unit(), PersistenceUnits.overridden(at.unit(),
                    PersistenceUnits.properties(at.dataSource(), at.settings(), at.generator()).keySet()))
                    .ifPresent(LOG::warning);
        }
        deploying.lock();
        try {
            if (at.pool() != null && role != Role.REPLICA) {
                // One bounded attempt first: the pool would wait database.pool.timeout for a database that is down.
                tryConnect(at);
            }
            deploy(at);
        } catch (RuntimeException e) {
            if (at.settings().failFast()) {
                deploying.unlock();
                close();
                throw new IllegalStateException("Database " + at.settings().describe() + " is unreachable and "
                        + DatabaseSettings.FAIL_FAST + "=true: " + Errors.rootMessage(e), e);
            }
            LOG.log(Level.WARNING, "dblayer: cannot deploy persistence unit " + at.unitName() + " on "
                    + at.settings().describe() + " yet; it is deployed when the database is reachable", e);
        } finally {
            if (deploying.isHeldByCurrentThread()) {
                deploying.unlock();
            }
        }
    }

    /** How the log names this database after its unit: nothing for the main one. */
    private String role() {
        return switch (role) {
            case MAIN -> "";
            case SOURCE -> " (data source " + name + ")";
            case REPLICA -> " (replica)";
        };
    }

    /**
     * The named data source {@code name} of {@code database.sources}: its settings, pool and unit.
     *
     * @throws IllegalArgumentException if no source has that name; the message lists those there are
     */
    public Database source(String name) {
        started();
        Database source = sources.get(name);
        if (source == null) {
            throw new IllegalArgumentException("No data source \"" + name + "\" in " + DatabaseSettings.SOURCES
                    + "; configured: " + sources.keySet());
        }
        return source;
    }

    /** The names of the named data sources, in {@code database.sources} order; empty for a source itself. */
    public Set<String> sourceNames() {
        started();
        return sources.keySet();
    }

    /**
     * The read replica of {@code database.replica.*}, if configured: its settings, its pool's
     * statistics, and as {@link #dataSource()} the replica's connections (the primary's, read-only,
     * while the replica is down and {@code database.replica.fallback=true}).
     */
    public Optional<Database> replica() {
        started();
        return Optional.ofNullable(replica);
    }

    /** Whether this replica is in an outage (its reads go to the primary, or fail without fallback). */
    boolean replicaDown() {
        return started().dataSource() instanceof ReplicaRoute route && route.isDown();
    }

    /** The replica's own pool, never the primary's: for its lag. */
    DataSource replicaPool() {
        return started().pool();
    }

    /** Its own pool's name, empty on the server's DataSource. */
    Optional<String> poolName() {
        return Optional.ofNullable(started().pool()).map(HikariDataSource::getPoolName);
    }

    /** Reports its own pool's events to {@code events}; nothing on the server's DataSource. */
    void listen(PoolEvents events) {
        HikariDataSource pool = started().pool();
        if (pool != null) {
            ((PoolCounters) pool.getMetricsTrackerFactory()).listen(events);
        }
    }

    /** Where the spans of this database's transactions go. */
    Tracing tracing() {
        return tracing;
    }

    void trace(Tracing spans) {
        this.tracing = spans;
    }

    /** The configuration this database reads its settings from. */
    Config config() {
        return config;
    }

    /** Which database this is. */
    Role kind() {
        return role;
    }

    /** The validated settings. */
    public DatabaseSettings settings() {
        return started().settings();
    }

    /**
     * The pooled DataSource the persistence unit uses (the server's, with {@code database.datasource}).
     * Connections taken from it must be closed by the caller.
     *
     * @throws IllegalStateException if {@code database.datasource} names nothing bound (yet)
     */
    public DataSource dataSource() {
        DataSource dataSource = started().dataSource();
        return dataSource instanceof ServerDataSource server ? server.target() : dataSource;
    }

    /**
     * The deployed persistence unit. If the database was unreachable at startup, this deploys it
     * now. While it is unreachable, one caller at a time makes an attempt, at most one a second
     * (counted from the end of the last failed attempt); every other caller fails at once with the
     * last attempt's cause, so that a queue of requests never forms behind a database that is down.
     *
     * @throws DatabaseUnavailableException if the unit is not deployed (the cause says why) or this
     *     database is closed; the application's Jakarta REST resources answer it with 503
     */
    public EntityManagerFactory entityManagerFactory() {
        EntityManagerFactory deployed = factory;
        if (deployed != null) {
            return deployed;
        }
        Started at = started();
        if (!deploying.tryLock()) {
            throw unavailable(at, "another request is deploying the persistence unit", lastCause());
        }
        try {
            if (closed) {
                throw closedError();
            }
            if (factory != null) {
                return factory;
            }
            Failure last = lastFailure;
            if (last != null && System.nanoTime() - last.endedNanos() < RETRY_INTERVAL.toNanos()) {
                throw unavailable(at, null, last.cause());
            }
            try {
                deploy(at);
            } catch (RuntimeException e) {
                LOG.fine(() -> "dblayer: attempt to deploy persistence unit " + at.unitName() + " failed: "
                        + Errors.rootMessage(e));
                throw unavailable(at, null, e);
            }
            LOG.info(() -> "dblayer: persistence unit " + at.unitName() + " deployed on " + at.settings().describe());
            return factory;
        } finally {
            deploying.unlock();
        }
    }

    /** Whether the persistence unit is deployed (the schema has been generated). */
    boolean isDeployed() {
        return factory != null;
    }

    /** The transactions running now, counted for the shutdown's wait. */
    TransactionsInFlight transactionsInFlight() {
        return transactionsInFlight;
    }

    /** The name of the deployed persistence unit. */
    String persistenceUnitName() {
        return started().unitName();
    }

    /** A snapshot of the pool's counters; empty when the server's DataSource is used. */
    public Optional<PoolStatistics> poolStatistics() {
        return Optional.ofNullable(started().pool()).map(ConnectionPool::statistics);
    }

    void onStop(@Observes @Priority(Lifecycle.DATABASE_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    /**
     * Closes the persistence unit, then the pool (even if closing the unit failed). Waits for a
     * deployment attempt in flight. Afterwards every method fails with {@link DatabaseUnavailableException}.
     * Idempotent.
     */
    @PreDestroy
    void close() {
        closed = true;
        Database openReplica = replica;
        if (openReplica != null) {
            openReplica.close();
        }
        sources.values().forEach(Database::close);
        deploying.lock();
        try {
            EntityManagerFactory open = factory;
            factory = null;
            if (open != null && open.isOpen()) {
                open.close();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dblayer: closing persistence unit " + persistenceUnitOrNone() + " failed", e);
        } finally {
            deploying.unlock();
            closePool();
        }
    }

    private void closePool() {
        Started at = started;
        if (at == null || at.pool() == null || at.pool().isClosed()) {
            return;
        }
        try {
            at.pool().close();
            LOG.info(() -> "dblayer: connection pool " + at.pool().getPoolName() + " closed");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dblayer: closing the connection pool " + at.pool().getPoolName() + " failed", e);
        }
        if (role == Role.MAIN) {
            deregisterDrivers(at.applicationLoader());
        }
    }

    private String persistenceUnitOrNone() {
        Started at = started;
        return at == null ? "(none)" : at.unitName();
    }

    /**
     * JDBC drivers register themselves with the JVM-wide DriverManager when their class loads; one
     * loaded from the application's WEB-INF/lib would otherwise keep the stopped application's
     * class loader alive. Outside a server (the JVM's own class loader) drivers are left alone.
     */
    private static void deregisterDrivers(ClassLoader applicationLoader) {
        if (applicationLoader == null || applicationLoader == ClassLoader.getSystemClassLoader()) {
            return;
        }
        DriverManager.drivers()
                .filter(driver -> driver.getClass().getClassLoader() == applicationLoader)
                .forEach(driver -> {
                    try {
                        DriverManager.deregisterDriver(driver);
                    } catch (SQLException | SecurityException e) {
                        LOG.log(Level.FINE, "dblayer: could not deregister " + driver.getClass().getName(), e);
                    }
                });
    }

    /**
     * Deploys the unit; the caller holds {@link #deploying}. A connection is taken first, so that an
     * attempt while the database is down costs one pool timeout, not EclipseLink's start-up and its
     * own connection attempts. With schema generation, the unit is deployed under the database's
     * {@link SchemaLock}, so that instances starting together do not run the same DDL at once.
     */
    private void deploy(Started at) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(at.applicationLoader());
        try {
            requireConnection(at.dataSource());
            SchemaLock lock = schemaLock(at);
            try {
                migrate(at);
                factory = PersistenceUnits.deploy(at.unitName(), at.dataSource(), at.settings(), at.generator(),
                        sessionProperties());
            } finally {
                lock.close();
            }
            lastFailure = null;
        } catch (RuntimeException e) {
            lastFailure = new Failure(e, System.nanoTime());
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * With {@code database.schema-generation=migrate}, applies the pending Flyway migrations; with
     * {@code validate}, refuses to go on while one is pending. Runs under the schema lock, so that of
     * instances starting together one migrates and the others find the schema up to date.
     */
    private void migrate(Started at) {
        DatabaseSettings settings = at.settings();
        if (!settings.schemaGeneration().migrates()) {
            return;
        }
        String database = settings.describe();
        String outcome = settings.schemaGeneration() == DatabaseSettings.SchemaGeneration.MIGRATE
                ? Migrations.migrate(at.dataSource(), settings.migration(), at.applicationLoader(), database)
                : Migrations.validate(at.dataSource(), settings.migration(), at.applicationLoader(), database);
        LOG.info(() -> "dblayer: " + outcome);
    }

    /**
     * The schema lock for this deployment, taken on a connection of its own: straight through the
     * driver with dblayer's pool (so a pool of one cannot deadlock), from the server's DataSource
     * otherwise. None when the unit generates no schema.
     */
    private static SchemaLock schemaLock(Started at) {
        DatabaseSettings settings = at.settings();
        if (settings.schemaGeneration() == DatabaseSettings.SchemaGeneration.NONE) {
            return SchemaLock.notNeeded();
        }
        try {
            Connection connection = at.pool() != null
                    ? DirectConnection.open(settings, at.applicationLoader(), STARTUP_ATTEMPT)
                    : at.dataSource().getConnection();
            return SchemaLock.acquire(settings.type(), connection, settings.schemaLockTimeout());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the schema lock: " + Errors.rootMessage(e), e);
        }
    }

    /**
     * What keeps a source's or the replica's EclipseLink session apart from the main one's when they
     * deploy the same unit: a session name of its own; the replica also keeps no shared cache, which
     * would never see the primary's commits.
     */
    private Map<String, Object> sessionProperties() {
        return switch (role) {
            case MAIN -> Map.of();
            case SOURCE -> Map.of("eclipselink.session-name", "dblayer-source-" + name);
            case REPLICA -> Map.of("eclipselink.session-name", "dblayer-replica",
                    "eclipselink.cache.shared.default", "false");
        };
    }

    private static void requireConnection(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.getAutoCommit();
        } catch (SQLException e) {
            throw new IllegalStateException(Errors.rootMessage(e), e);
        }
    }

    private void tryConnect(Started at) {
        try {
            DirectConnection.attempt(at.settings(), at.applicationLoader(), STARTUP_ATTEMPT);
        } catch (SQLException e) {
            RuntimeException failure = new IllegalStateException(Errors.rootMessage(e), e);
            lastFailure = new Failure(failure, System.nanoTime());
            throw failure;
        }
    }

    private RuntimeException lastCause() {
        Failure last = lastFailure;
        return last == null ? null : last.cause();
    }

    private static DatabaseUnavailableException unavailable(Started at, String why, RuntimeException cause) {
        String reason = cause == null ? why : (why == null ? "" : why + "; last attempt: ") + Errors.rootMessage(cause);
        return new DatabaseUnavailableException("Database " + at.settings().describe() + " is not available: "
                + reason, cause);
    }

    private static DatabaseUnavailableException closedError() {
        return new DatabaseUnavailableException("dblayer's Database is closed: the application is stopping", null);
    }

    /** The started state, starting now if the application-start event has not come yet. */
    private Started started() {
        if (closed) {
            throw closedError();
        }
        Started at = started;
        if (at == null) {
            start();
            at = started;
        }
        return at;
    }

    private static void requireDriver(DatabaseSettings settings) {
        try {
            Class.forName(settings.type().driverClassName(), false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(DatabaseSettings.TYPE + " is " + SettingsReader.settingName(settings.type())
                    + " but its JDBC driver " + settings.type().driverClassName()
                    + " is not in the application: add it to WEB-INF/lib", e);
        }
    }

    private static void requirePlatform(DatabaseSettings settings) {
        try {
            Class.forName(settings.type().platformClassName(), true, Database.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("EclipseLink's classes are not visible to the application."
                    + " On Open Liberty give the application <classloader apiTypeVisibility=\"+third-party\"/>"
                    + " (see server-config/liberty/server.xml)", e);
        }
    }
}
