package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dblayer.testsupport.MapConfig;

/**
 * {@code database.datasource} naming nothing bound, outside a server (no JNDI at all): with
 * fail-fast the start fails; without it the application starts and each use retries the lookup,
 * because Payara binds an application's own DataSource only after CDI has started the application.
 */
class DatabaseDataSourceTest {

    private static final String NAME = "jdbc/dblayerNothingHere";

    @Test
    void failFastFailsTheStartNamingTheSettingAndValue() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Databases.start(
                new MapConfig(Map.of("database.datasource", NAME, "database.fail-fast", "true"))),
                "an unbound name fails the start with database.fail-fast=true");
        assertTrue(error.getMessage().contains("database.datasource is \"" + NAME + "\""),
                "the message names the setting and its value: " + error.getMessage());
    }

    @Test
    void withoutFailFastTheStartSucceedsAndUseNamesTheSetting() {
        Database database = Databases.start(new MapConfig(Map.of("database.datasource", NAME)));
        try {
            assertFalse(database.isDeployed(), "nothing to deploy on yet");
            IllegalStateException error = assertThrows(IllegalStateException.class, database::dataSource,
                    "the DataSource is looked up again on use, and is still not bound");
            assertTrue(error.getMessage().contains("database.datasource is \"" + NAME + "\""),
                    "the message names the setting and its value: " + error.getMessage());
            assertTrue(database.poolStatistics().isEmpty(), "no pool of dblayer's own with database.datasource");
        } finally {
            Databases.close(database);
        }
    }
}
