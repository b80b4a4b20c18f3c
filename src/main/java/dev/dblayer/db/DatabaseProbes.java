package dev.dblayer.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What dblayer's health checks need of the database beyond {@link Database}'s API, and nothing
 * more: whether the persistence unit is deployed, its name, a connection outside the pool, and how
 * many transactions are running (for the wait at shutdown).
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
}
