package dev.dblayer.migration;

import javax.sql.DataSource;

/**
 * Runs a database's migrations, or checks that none is pending, through Flyway; the only way into
 * this package's Flyway code, so that an application that never migrates needs no Flyway at all.
 */
public final class Migrations {

    static final String FLYWAY = "org.flywaydb.core.Flyway";
    static final String ADD_FLYWAY = "add org.flywaydb:flyway-core and, for PostgreSQL,"
            + " org.flywaydb:flyway-database-postgresql or, for MySQL and MariaDB, org.flywaydb:flyway-mysql"
            + " to the application (docs/migrations.md)";

    private Migrations() {
    }

    /**
     * Applies the pending migrations of {@code locations} on {@code dataSource}, each in a transaction
     * where the database can (PostgreSQL: all of it; MySQL: not DDL); returns what was done, for the log.
     *
     * @param database what the messages call the database, such as {@code PostgreSQL 127.0.0.1:5432/app}
     * @param loader the application's class loader: the scripts, Flyway and its database module
     * @throws MigrationException naming the script that failed and the database's message
     */
    public static String migrate(DataSource dataSource, MigrationSettings settings, ClassLoader loader,
            String database) {
        return runner(loader).migrate(dataSource, settings, loader, database);
    }

    /**
     * Checks that every migration of {@code locations} is applied, unchanged, on {@code dataSource},
     * and applies nothing; returns the schema's version, for the log.
     *
     * @throws MigrationException when the schema is behind (a migration is pending) or a script
     *         changed after it was applied
     */
    public static String validate(DataSource dataSource, MigrationSettings settings, ClassLoader loader,
            String database) {
        return runner(loader).validate(dataSource, settings, loader, database);
    }

    /**
     * Removes the failed migrations' rows from the history table and realigns the checksums of the
     * applied ones with the scripts (Flyway's repair): after a failed migration on MySQL, whose DDL
     * left behind what ran before the error has been undone by hand.
     */
    public static String repair(DataSource dataSource, MigrationSettings settings, ClassLoader loader,
            String database) {
        return runner(loader).repair(dataSource, settings, loader, database);
    }

    /** What is applied and what is pending, one migration a line. */
    public static String info(DataSource dataSource, MigrationSettings settings, ClassLoader loader,
            String database) {
        return runner(loader).info(dataSource, settings, loader, database);
    }

    private static FlywayRunner runner(ClassLoader loader) {
        try {
            Class.forName(FLYWAY, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new MigrationException("the application has no Flyway (" + FLYWAY + "): " + ADD_FLYWAY, e);
        }
        return new FlywayRunner();
    }
}
