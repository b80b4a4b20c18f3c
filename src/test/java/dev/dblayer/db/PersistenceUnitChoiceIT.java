package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dblayer.testsupport.MapConfig;

/**
 * {@code database.persistence-unit} in an application whose persistence.xml declares two units
 * ({@code items}: dbl_item; {@code accounts}: dbl_account), deployed by the Database bean on the
 * local PostgreSQL. The application is a class loader that adds that persistence.xml to the test
 * class path (which declares the unit {@code direct} as well).
 */
class PersistenceUnitChoiceIT {

    private static final String DATABASE = "dblayer_direct_unit_choice";

    @TempDir
    Path applicationRoot;

    private ClassLoader application;
    private DirectDatabase db;
    private Database database;

    @BeforeEach
    void makeTheApplication() throws IOException {
        Path metaInf = Files.createDirectories(applicationRoot.resolve("META-INF"));
        try (InputStream units = getClass().getResourceAsStream("/fixtures/two-units-persistence.xml")) {
            Files.copy(units, metaInf.resolve("persistence.xml"));
        }
        application = new URLClassLoader(new URL[] {applicationRoot.toUri().toURL()}, getClass().getClassLoader());
        db = DirectDatabase.fresh(DatabaseType.POSTGRESQL, DATABASE);
    }

    @AfterEach
    void closeAll() throws Exception {
        if (database != null) {
            Databases.close(database);
        }
        db.close();
    }

    /** Runs {@code work} with the application's class loader as the context class loader, as a server does. */
    private <T> T inApplication(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(application);
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Database start(String... settings) {
        return inApplication(() -> Databases.start(new MapConfig(db.settingsMap(settings))));
    }

    @Test
    void deploysTheNamedUnitOnly() throws Exception {
        database = start("database.persistence-unit", "accounts", "database.fail-fast", "true");
        assertEquals("accounts", database.persistenceUnitName(), "the unit named by the setting");
        assertTrue(database.isDeployed(), "the named unit is deployed at startup");
        assertTrue(db.tableExists("dbl_account"), "the accounts unit's table is created");
        assertFalse(db.tableExists("dbl_item"), "the items unit's table is not created");
        assertFalse(db.tableExists("dbl_token"), "the direct unit's table is not created");
    }

    @Test
    void deploysTheOtherUnitWhenNamed() throws Exception {
        database = start("database.persistence-unit", "items", "database.fail-fast", "true");
        assertTrue(db.tableExists("dbl_item"), "the items unit's table is created");
        assertFalse(db.tableExists("dbl_account"), "the accounts unit's table is not created");
    }

    @Test
    void failsWithoutTheSettingNamingIt() throws Exception {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> start(),
                "with several units and no database.persistence-unit the start fails");
        assertTrue(error.getMessage().contains("database.persistence-unit")
                && error.getMessage().contains("items") && error.getMessage().contains("accounts"),
                "the message names the setting and the units to choose from: " + error.getMessage());
        assertFalse(db.tableExists("dbl_item") || db.tableExists("dbl_account"), "nothing was deployed");
    }

    @Test
    void failsOnAnUnknownUnitNamingTheSettingAndValue() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> start("database.persistence-unit", "orders"), "a unit the application lacks fails the start");
        assertTrue(error.getMessage().contains("database.persistence-unit is \"orders\""),
                "the message names the setting and its value: " + error.getMessage());
    }
}
