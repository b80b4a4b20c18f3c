package dev.dblayer.db;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * One connection attempt straight through the JDBC driver, outside the pool, bounded by the
 * driver's own timeouts. At startup it tells quickly whether the database is there (the pool would
 * wait {@code database.pool.timeout}) and, with {@code database.create-database=true}, creates it.
 * The database readiness check uses {@link #open} when the pool is saturated: a full pool cannot
 * tell it whether the database still answers.
 *
 * <p>Public for that check only (it lives in another package); applications use the pool.
 */
final class DirectConnection {

    private DirectConnection() {
    }

    /** Connects once and closes again; throws the driver's exception, which names the server's reason. */
    static void attempt(DatabaseSettings settings, ClassLoader loader, Duration timeout) throws SQLException {
        Driver driver = driver(settings, loader);
        if (settings.createDatabase()) {
            DatabaseCreator.createIfMissing(settings, driver, timeout);
        }
        open(settings, driver, timeout).close();
    }

    /**
     * A new connection outside the pool, or the driver's exception (which names the server's
     * reason). Connecting, logging in and each read are bounded by {@code timeout} (whole seconds,
     * at least one, on PostgreSQL); the caller closes the connection.
     *
     * @param loader the application's class loader, which holds the JDBC driver
     */
    static Connection open(DatabaseSettings settings, ClassLoader loader, Duration timeout)
            throws SQLException {
        return open(settings, driver(settings, loader), timeout);
    }

    private static Connection open(DatabaseSettings settings, Driver driver, Duration timeout) throws SQLException {
        Properties properties = settings.type().attemptTimeouts(timeout);
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        Connection connection = driver.connect(settings.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("the JDBC driver " + settings.type().driverClassName() + " does not accept "
                    + settings.describe());
        }
        return connection;
    }

    private static Driver driver(DatabaseSettings settings, ClassLoader loader) {
        try {
            return (Driver) Class.forName(settings.type().driverClassName(), true, loader)
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the JDBC driver " + settings.type().driverClassName(), e);
        }
    }
}
