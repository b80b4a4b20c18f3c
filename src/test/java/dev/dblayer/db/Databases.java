package dev.dblayer.db;

import org.eclipse.microprofile.config.Config;

/** Starts the {@link Database} bean outside a container, as CDI would at application startup. */
public final class Databases {

    private Databases() {
    }

    /** A started Database; the caller closes it with {@link #close}. */
    public static Database start(Config config) {
        Database database = new Database(config);
        database.start();
        return database;
    }

    /** A started Database whose snowflake ids ({@code database.pk-mode=snowflake}) come from {@code generator}. */
    public static Database start(Config config, PrimaryKeyGenerator generator) {
        Database database = new Database(config, generator);
        database.start();
        return database;
    }

    /** What CDI does when the application stops. */
    public static void close(Database database) {
        database.close();
    }
}
