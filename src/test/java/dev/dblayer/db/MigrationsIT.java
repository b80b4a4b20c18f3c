package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.migration.MigrationException;
import dev.dblayer.migration.MigrationSettings;
import dev.dblayer.migration.Migrations;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.MapConfig;

/**
 * Issue 16: Flyway migrations on the local PostgreSQL and MariaDB, each test on a fresh database:
 * scripts apply once and in order, a pending one makes {@code validate} refuse, a failed script is
 * named with the database's message (PostgreSQL keeps nothing of it; MySQL keeps its DDL, and
 * repair clears the history for the retry), and {@link Database} migrates before its unit deploys.
 */
class MigrationsIT {

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void migrateAppliesEachScriptOnceAndValidateRefusesASchemaThatIsBehind(DatabaseType type) throws Exception {
        String name = database(type, "apply");
        try {
            DatabaseSettings first = settings(type, name, "classpath:migrations/basic");
            DatabaseSettings later = settings(type, name, "classpath:migrations/later");
            try (HikariDataSource pool = ConnectionPool.create(first)) {
                String applied = migrate(pool, first);
                assertTrue(applied.contains("applied 1 migration") && applied.contains("V1__create_items.sql"), applied);
                assertTrue(migrate(pool, first).contains("is up to date"), "a second run applies nothing");

                MigrationException behind = assertThrows(MigrationException.class, () -> Migrations.validate(pool,
                        later.migration(), loader(), later.describe()));
                assertTrue(behind.getMessage().contains("is behind its migrations") && behind.getMessage()
                        .contains("V2 add label"), behind.getMessage());

                String second = migrate(pool, later);
                assertTrue(second.contains("applied 1 migration") && second.contains("1 -> 2"), second);
                String valid = Migrations.validate(pool, later.migration(), loader(), later.describe());
                assertTrue(valid.contains("version 2"), valid);
            }
            assertEquals(List.of("1 create items true", "2 add label true"), history(type, name));
            assertEquals(List.of("1 one v:one 0", "2 two v:two 0", "3 three v:three 0"),
                    LocalDatabases.rows(type, name, "SELECT id, name, label, counter FROM mig_item ORDER BY id"),
                    "V2 added the column to the rows V1 made and filled it, with the placeholder's value");
        } finally {
            LocalDatabases.dropDatabase(type, name);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void aFailedScriptIsNamedWithTheDatabasesMessageAndLeavesWhatItsDatabaseKeeps(DatabaseType type) throws Exception {
        String name = database(type, "broken");
        try {
            DatabaseSettings broken = settings(type, name, "classpath:migrations/broken");
            try (HikariDataSource pool = ConnectionPool.create(broken)) {
                MigrationException failed = assertThrows(MigrationException.class, () -> migrate(pool, broken));
                String message = failed.getMessage();
                assertTrue(message.contains("migration V2__broken.sql failed") && message.contains("mig_missing"),
                        "the script's name and the database's message: " + message);
                assertFalse(message.contains("INSERT INTO"), "no statement text: " + message);
                if (type == DatabaseType.POSTGRESQL) {
                    assertFalse(tableExists(type, name, "mig_partial"), "PostgreSQL rolled the whole script back");
                    assertEquals(List.of("1 create items true"), history(type, name));
                } else {
                    assertTrue(tableExists(type, name, "mig_partial"), "MySQL's DDL committed itself");
                    assertEquals(List.of("1 create items true", "2 broken false"), history(type, name));
                    MigrationException again = assertThrows(MigrationException.class, () -> migrate(pool, broken));
                    assertTrue(again.getMessage().contains("failed migration"), again.getMessage());
                    // the repair the docs describe: undo by hand what ran, then repair the history
                    execute(type, name, "DROP TABLE mig_partial");
                    assertTrue(Migrations.repair(pool, broken.migration(), loader(), broken.describe())
                            .contains("1 failed migration(s) removed"));
                    assertEquals(List.of("1 create items true"), history(type, name));
                }
            }
        } finally {
            LocalDatabases.dropDatabase(type, name);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void databaseMigratesBeforeItsUnitDeploysAndValidateFailsTheStartWhileBehind(DatabaseType type) throws Exception {
        String name = database(type, "start");
        try {
            Map<String, String> values = config(type, name, "classpath:migrations/basic");
            values.put(DatabaseSettings.SCHEMA_GENERATION, "validate");
            IllegalStateException behind = assertThrows(IllegalStateException.class,
                    () -> Databases.start(new MapConfig(values)));
            assertTrue(String.valueOf(behind.getMessage()).contains("is behind its migrations")
                    || String.valueOf(behind.getCause()).contains("is behind its migrations"), String.valueOf(behind));
            assertFalse(tableExists(type, name, "mig_item"), "validate applies nothing");

            values.put(DatabaseSettings.SCHEMA_GENERATION, "migrate");
            Database started = Databases.start(new MapConfig(values));
            try {
                var em = started.entityManagerFactory().createEntityManager();
                try {
                    assertEquals(3L, ((Number) em.createNativeQuery("SELECT COUNT(*) FROM mig_item").getSingleResult())
                            .longValue());
                } finally {
                    em.close();
                }
            } finally {
                Databases.close(started);
            }
            values.put(DatabaseSettings.SCHEMA_GENERATION, "validate");
            Databases.close(Databases.start(new MapConfig(values)));
            assertEquals(List.of("1 create items true"), history(type, name));
        } finally {
            LocalDatabases.dropDatabase(type, name);
        }
    }

    private static String migrate(HikariDataSource pool, DatabaseSettings settings) {
        return Migrations.migrate(pool, settings.migration(), loader(), settings.describe());
    }

    private static ClassLoader loader() {
        return MigrationsIT.class.getClassLoader();
    }

    private static String database(DatabaseType type, String what) {
        String name = "dblayer_mig_" + what + "_" + (type == DatabaseType.MYSQL ? "my" : "pg");
        LocalDatabases.dropDatabase(type, name);
        LocalDatabases.ensureDatabase(type, name);
        return name;
    }

    private static Map<String, String> config(DatabaseType type, String name, String locations) {
        Map<String, String> values = new HashMap<>(LocalDatabases.settings(type, name));
        values.put(DatabaseSettings.SCHEMA_GENERATION, "migrate");
        values.put(DatabaseSettings.FAIL_FAST, "true");
        values.put(DatabaseSettings.PERSISTENCE_UNIT, "direct");
        values.put(MigrationSettings.LOCATIONS, locations);
        values.put(MigrationSettings.PLACEHOLDERS, "labelPrefix=v:");
        return values;
    }

    private static DatabaseSettings settings(DatabaseType type, String name, String locations) {
        return DatabaseSettings.read(SettingsReader.of(config(type, name, locations)));
    }

    /** The history table's rows: version, description, success. */
    private static List<String> history(DatabaseType type, String name) throws SQLException {
        return LocalDatabases.rows(type, name, "SELECT version, description, CASE WHEN success THEN 'true' ELSE 'false' END"
                + " FROM flyway_schema_history ORDER BY installed_rank");
    }

    private static boolean tableExists(DatabaseType type, String name, String table) throws SQLException {
        String schema = type == DatabaseType.MYSQL ? "DATABASE()" : "current_schema()";
        return !LocalDatabases.rows(type, name, "SELECT table_name FROM information_schema.tables WHERE table_schema = " + schema
                + " AND table_name = '" + table + "'").isEmpty();
    }

    private static void execute(DatabaseType type, String name, String sql) throws SQLException {
        try (Connection connection = LocalDatabases.connect(type, name); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
