package dev.dblayer.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What dblayer's health checks need of the database beyond {@link Database}'s API, and nothing
 * more: whether the persistence unit is deployed, its name, a connection outside the pool, and how
 * many units of work are open (for the wait at shutdown).
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
     * How many units of work (request EntityManagers, and those of running {@code REQUIRES_NEW} or
     * {@code NOT_SUPPORTED} calls) of {@code database} are open now.
     */
    public static int openUnitsOfWork(Database database) {
        return database.openUnits().count();
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
