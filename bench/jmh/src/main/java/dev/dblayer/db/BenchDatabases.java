package dev.dblayer.db;

import org.eclipse.microprofile.config.Config;

/**
 * Starts dblayer's {@link Database} outside a container, as CDI does when the application starts:
 * settings, HikariCP pool, the persistence unit deployed with dblayer's session setup. The bench's
 * only reach into dblayer's package-private code (the constructors CDI and dblayer's own tests use);
 * it lives in the bench's jar, in the same package on the class path, so that dblayer's public API
 * stays as it is.
 */
public final class BenchDatabases {

    private BenchDatabases() {
    }

    /** A started Database; {@code generator} makes the ids with {@code database.pk-mode=snowflake}. */
    public static Database start(Config config, PrimaryKeyGenerator generator) {
        Database database = new Database(config, generator);
        database.start();
        return database;
    }

    /** What CDI does when the application stops: closes the unit, then the pool. */
    public static void close(Database database) {
        database.close();
    }
}
