package dev.dblayer.db;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import org.eclipse.microprofile.config.Config;

import com.zaxxer.hikari.HikariDataSource;

import dev.dblayer.config.Errors;
import dev.dblayer.config.Lifecycle;
import dev.dblayer.config.SettingsReader;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
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
    /** The least time between two attempts to deploy the unit while the database is unreachable. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    /** The bound of the startup connection attempt, so that a database that is down delays no deployment long. */
    static final Duration STARTUP_ATTEMPT = Duration.ofSeconds(5);

    private final Config config;
    private DatabaseSettings settings;
    private DataSource dataSource;
    private HikariDataSource pool;
    private String unitName;
    private ClassLoader applicationLoader;
    private volatile EntityManagerFactory factory;
    private volatile RuntimeException lastFailure;
    private long lastAttemptNanos;

    /** For CDI's proxy. */
    protected Database() {
        this.config = null;
    }

    @Inject
    Database(Config config) {
        this.config = config;
    }

    void onStart(@Observes @Priority(Lifecycle.DATABASE_START) @Initialized(ApplicationScoped.class)
            Object applicationStarted) {
        start();
    }

    synchronized void start() {
        if (settings != null) {
            return;
        }
        DatabaseSettings read = DatabaseSettings.read(SettingsReader.of(config));
        applicationLoader = Thread.currentThread().getContextClassLoader();
        unitName = PersistenceUnits.choose(read, applicationLoader);
        requirePlatform(read);
        if (read.dataSource().isPresent()) {
            dataSource = lookup(read.dataSource().get());
        } else {
            requireDriver(read);
            pool = ConnectionPool.create(read);
            dataSource = read.poolEcho() ? new EchoingDataSource(pool) : pool;
        }
        settings = read;
        LOG.info(() -> "dblayer: persistence unit " + unitName + " on " + read.describe());
        try {
            if (pool != null) {
                // One bounded attempt first: the pool would wait database.pool.timeout for a database that is down.
                tryConnect();
            }
            deploy();
        } catch (RuntimeException e) {
            if (read.failFast()) {
                close();
                throw new IllegalStateException("Database " + read.describe() + " is unreachable and "
                        + DatabaseSettings.FAIL_FAST + "=true: " + Errors.rootMessage(e), e);
            }
            LOG.log(Level.WARNING, "dblayer: cannot deploy persistence unit " + unitName + " on "
                    + read.describe() + " yet; it is deployed when the database is reachable", e);
        }
    }

    /** The validated settings. */
    public DatabaseSettings settings() {
        ensureStarted();
        return settings;
    }

    /**
     * The pooled DataSource the persistence unit uses (the server's, with {@code database.datasource}).
     * Connections taken from it must be closed by the caller.
     */
    public DataSource dataSource() {
        ensureStarted();
        return dataSource;
    }

    /**
     * The deployed persistence unit. If the database was unreachable at startup, this deploys it
     * now (at most one attempt per second; in between it fails fast with the last cause).
     *
     * @throws IllegalStateException if the database is still unreachable; the cause says why
     */
    public EntityManagerFactory entityManagerFactory() {
        EntityManagerFactory deployed = factory;
        if (deployed != null) {
            return deployed;
        }
        ensureStarted();
        synchronized (this) {
            if (factory == null) {
                boolean tooSoon = lastFailure != null
                        && System.nanoTime() - lastAttemptNanos < RETRY_INTERVAL.toNanos();
                if (tooSoon) {
                    throw notDeployed(lastFailure);
                }
                try {
                    deploy();
                    LOG.info(() -> "dblayer: persistence unit " + unitName + " deployed on " + settings.describe());
                } catch (RuntimeException e) {
                    throw notDeployed(e);
                }
            }
            return factory;
        }
    }

    /** Whether the persistence unit is deployed (the schema has been generated). */
    public boolean isDeployed() {
        return factory != null;
    }

    /** The name of the deployed persistence unit. */
    public String persistenceUnitName() {
        ensureStarted();
        return unitName;
    }

    /** A snapshot of the pool's counters; empty when the server's DataSource is used. */
    public Optional<PoolStatistics> poolStatistics() {
        ensureStarted();
        return Optional.ofNullable(pool).map(ConnectionPool::statistics);
    }

    void onStop(@Observes @Priority(Lifecycle.DATABASE_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    @PreDestroy
    synchronized void close() {
        // Each step guarded: a failure closing the unit must not leave the pool open.
        try {
            if (factory != null && factory.isOpen()) {
                factory.close();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dblayer: closing persistence unit " + unitName + " failed", e);
        } finally {
            factory = null;
            if (pool != null && !pool.isClosed()) {
                try {
                    pool.close();
                    LOG.info(() -> "dblayer: connection pool closed");
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "dblayer: closing the connection pool failed", e);
                }
                deregisterDrivers();
            }
        }
    }

    /**
     * JDBC drivers register themselves with the JVM-wide DriverManager when their class loads; one
     * loaded from the application's WEB-INF/lib would otherwise keep the stopped application's
     * class loader alive. Outside a server (the JVM's own class loader) drivers are left alone.
     */
    private void deregisterDrivers() {
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

    private void deploy() {
        lastAttemptNanos = System.nanoTime();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(applicationLoader);
        try {
            factory = PersistenceUnits.deploy(unitName, dataSource, settings);
            lastFailure = null;
        } catch (RuntimeException e) {
            lastFailure = e;
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void tryConnect() {
        try {
            DirectConnection.attempt(settings, applicationLoader, STARTUP_ATTEMPT);
        } catch (SQLException e) {
            lastFailure = new IllegalStateException(Errors.rootMessage(e), e);
            lastAttemptNanos = System.nanoTime();
            throw lastFailure;
        }
    }

    private IllegalStateException notDeployed(RuntimeException cause) {
        return new IllegalStateException("Database " + settings.describe() + " is not available: "
                + Errors.rootMessage(cause), cause);
    }

    private void ensureStarted() {
        if (settings == null) {
            start();
        }
    }

    private static DataSource lookup(String jndiName) {
        try {
            return (DataSource) new InitialContext().lookup(jndiName);
        } catch (NamingException | ClassCastException e) {
            throw new IllegalStateException(DatabaseSettings.DATASOURCE + " is \"" + jndiName
                    + "\" but no DataSource is bound to that JNDI name in the server", e);
        }
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
