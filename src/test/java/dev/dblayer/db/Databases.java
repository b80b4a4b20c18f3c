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

    /** What CDI does when the application stops. */
    public static void close(Database database) {
        database.close();
    }
}
