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
        Properties properties = settings.type().attemptTimeouts(timeout);
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        try (Connection connection = driver.connect(settings.jdbcUrl(), properties)) {
            if (connection == null) {
                throw new SQLException("the JDBC driver " + settings.type().driverClassName() + " does not accept "
                        + settings.describe());
            }
        }
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
