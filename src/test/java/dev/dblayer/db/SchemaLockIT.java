package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.LogCapture;
import dev.dblayer.testsupport.MapConfig;

/**
 * The schema lock on the local PostgreSQL and MariaDB: the Database bean waits for it while another
 * session holds it, gives up after {@code database.schema-generation.lock-timeout} naming the lock
 * and the key, releases it once deployed, and takes none without schema generation.
 */
class SchemaLockIT {

    private static final String DATABASE = "dblayer_startup_lock";

    private DirectDatabase db;
    private Database database;

    @AfterEach
    void closeAll() throws Exception {
        if (database != null) {
            Databases.close(database);
        }
        if (db != null) {
            db.close();
        }
    }

    private SchemaLock heldElsewhere(DatabaseType type) throws Exception {
        return SchemaLock.acquire(type, LocalDatabases.connect(type, DATABASE), Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void givesUpAfterTheBoundWhileAnotherSessionHoldsTheLock(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        SchemaLock other = heldElsewhere(type);
        try (LogCapture log = LogCapture.on(SchemaLock.class.getName())) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> Databases.start(new MapConfig(db.settingsMap("database.fail-fast", "true",
                            DatabaseSettings.SCHEMA_GENERATION_LOCK_TIMEOUT, "1s"))),
                    "with fail-fast, the deployment fails when the lock stays held for the whole bound on " + type);
            assertTrue(error.getMessage().contains(DatabaseSettings.SCHEMA_GENERATION_LOCK_TIMEOUT + "=1s"),
                    "the message names the setting and its value: " + error.getMessage());
            assertTrue(error.getMessage().contains(type == DatabaseType.MYSQL
                    ? "GET_LOCK('dblayer.schema:" + DATABASE + "')"
                    : "pg_advisory_lock(" + SchemaLock.key(type, DATABASE) + ")"),
                    "the message names the lock as an operator would look for it: " + error.getMessage());
            assertTrue(log.messages(Level.INFO).stream().anyMatch(m -> m.contains("waiting up to 1s")),
                    "the wait is logged at INFO: " + log.messages());
        } finally {
            other.close();
        }
        assertFalse(db.tableExists("dbl_item"), "nothing was generated without the lock on " + type);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void deploysOnceTheOtherSessionReleasesTheLockAndReleasesItsOwn(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        SchemaLock other = heldElsewhere(type);
        Thread releaser = new Thread(() -> {
            sleep(300);
            other.close();
        });
        try (LogCapture log = LogCapture.on(SchemaLock.class.getName())) {
            releaser.start();
            database = Databases.start(new MapConfig(db.settingsMap("database.fail-fast", "true")));
            assertTrue(database.isDeployed(), "the unit is deployed once the lock is released on " + type);
            assertTrue(log.messages(Level.INFO).stream().anyMatch(m -> m.startsWith("dblayer: waited ")),
                    "the time waited is logged at INFO: " + log.messages());
        } finally {
            releaser.join();
        }
        assertTrue(db.tableExists("dbl_item"), "the schema is generated under the lock on " + type);
        try (SchemaLock again = heldElsewhere(type)) {
            assertTrue(again != null, "another session takes the lock within its 1 s bound on " + type
                    + ": the deployed instance released it");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void takesNoLockWithoutSchemaGeneration(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        SchemaLock other = heldElsewhere(type);
        try {
            database = Databases.start(new MapConfig(db.settingsMap("database.fail-fast", "true",
                    DatabaseSettings.SCHEMA_GENERATION, "none")));
            assertTrue(database.isDeployed(), "with schema generation none the unit deploys while the lock is held"
                    + " elsewhere on " + type);
        } finally {
            other.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
