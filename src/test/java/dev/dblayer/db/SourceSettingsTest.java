package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.dblayer.internal.SettingsReader;

/**
 * The settings of named sources ({@code database.sources.NAME.*}), of the replica
 * ({@code database.replica.*}) and of host lists: what falls back to {@code database.*}, what never
 * does, and messages that name the key a bad value was set under, never a password.
 */
class SourceSettingsTest {

    private static final String CANARY = "canary-pw-4410";

    private static SettingsReader reader(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return SettingsReader.of(values);
    }

    private static DatabaseSettings source(String name, String... keysAndValues) {
        return DatabaseSettings.readSource(reader(keysAndValues), name);
    }

    private static Optional<DatabaseSettings> replica(String... keysAndValues) {
        SettingsReader reader = reader(keysAndValues);
        return DatabaseSettings.readReplica(reader, DatabaseSettings.read(reader));
    }

    @Test
    void anUnsetKeyOfASourceFallsBackToTheMainDatabasesAndASetOneWins() {
        DatabaseSettings reports = source("reports",
                "database.host", "main-db", "database.port", "5433", "database.user", "app",
                "database.password", CANARY, "database.pool.size", "7", "database.schema", "app",
                "database.sources.reports.host", "reports-db", "database.sources.reports.schema", "reports",
                "database.sources.reports.pool.size", "3");
        assertEquals("reports-db", reports.host(), "its own host");
        assertEquals("reports", reports.database(), "its own schema");
        assertEquals(3, reports.pool().size(), "its own pool size");
        assertEquals(5433, reports.port(), "the main database's port");
        assertEquals("app", reports.user(), "the main database's user");
        assertEquals(CANARY, reports.password(), "the main database's password");
        assertEquals("jdbc:postgresql://reports-db:5433/reports", reports.jdbcUrl(), "its URL");
    }

    @Test
    void aSourceMigratesItsOwnScriptsAndTakesTheOtherMigrationSettingsOfTheMainDatabase() {
        DatabaseSettings reports = source("reports",
                "database.migration.locations", "classpath:db/main", "database.migration.table", "history",
                "database.sources.reports.host", "reports-db",
                "database.sources.reports.schema-generation", "migrate");
        assertEquals(DatabaseSettings.SchemaGeneration.MIGRATE, reports.schemaGeneration());
        assertEquals(List.of("classpath:db/migration-reports"), reports.migration().locations(),
                "its own scripts, beside (not under) db/migration, never the main database's locations");
        assertEquals("history", reports.migration().table(), "the main database's history table name");
        DatabaseSettings own = source("reports", "database.sources.reports.host", "reports-db",
                "database.sources.reports.migration.locations", "classpath:db/reports");
        assertEquals(List.of("classpath:db/reports"), own.migration().locations(), "or the locations it names");
    }

    @Test
    void migratingOnAPoolOfOneIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.read(
                reader("database.schema-generation", "migrate", "database.pool.size", "1",
                        "database.pool.max-overflow", "0")));
        assertTrue(e.getMessage().contains("database.schema-generation=migrate needs a pool of two connections")
                && e.getMessage().contains("database.pool.size=1"), e.getMessage());
        DatabaseSettings.read(reader("database.schema-generation", "create", "database.pool.size", "1",
                "database.pool.max-overflow", "0"));
    }

    @Test
    void aSourceOfAnotherTypeTakesThatTypesPortAndUserNotTheMainDatabases() {
        DatabaseSettings legacy = source("legacy", "database.port", "5433", "database.user", "app",
                "database.password", CANARY,
                "database.sources.legacy.type", "mysql", "database.sources.legacy.host", "legacy-db");
        assertEquals(DatabaseType.MYSQL, legacy.type(), "its own type");
        assertEquals(3306, legacy.port(), "MySQL's default port, not the main database's 5433");
        assertEquals("root", legacy.user(), "MySQL's default user");
        assertEquals("", legacy.password(), "no password taken from a database of another type");
    }

    @Test
    void aSourceWithItsOwnUrlTakesNoHostPortOrSchemaOfTheMainDatabase() {
        DatabaseSettings reports = source("reports", "database.host", "main-db", "database.port", "5433",
                "database.schema", "app", "database.sources.reports.url", "jdbc:postgresql://r:5432/rep");
        assertEquals("jdbc:postgresql://r:5432/rep", reports.jdbcUrl(), "the source's URL, without a conflict"
                + " with the main database's host");
        DatabaseSettings mainByUrl = source("reports", "database.url", "jdbc:postgresql://main/app",
                "database.sources.reports.host", "r");
        assertEquals("jdbc:postgresql://r:5432/fba", mainByUrl.jdbcUrl(), "the main database's URL is never a source's");
    }

    @Test
    void aSourceWithoutHostUrlOrDataSourceIsRefusedNamingTheKeys() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> source("reports", "database.host", "main-db", "database.sources.reports.schema", "r"));
        assertTrue(error.getMessage().contains("database.sources.reports.host")
                && error.getMessage().contains("database.sources.reports.url")
                && error.getMessage().contains("database.sources.reports.datasource"), error.getMessage());
    }

    @Test
    void aBadValueIsNamedByTheKeyItWasSetUnder() {
        IllegalArgumentException own = assertThrows(IllegalArgumentException.class, () -> source("reports",
                "database.sources.reports.host", "r", "database.sources.reports.pool.size", "0"));
        assertEquals("database.sources.reports.pool.size must be a whole number from 1 to 1000 but was \"0\"", own.getMessage());
        IllegalArgumentException inherited = assertThrows(IllegalArgumentException.class, () -> source("reports",
                "database.sources.reports.host", "r", "database.pool.timeout", "soon"));
        assertTrue(inherited.getMessage().startsWith("database.pool.timeout must be "), "a value the source"
                + " took from the main database is named by the main key: " + inherited.getMessage());
        IllegalArgumentException host = assertThrows(IllegalArgumentException.class, () -> source("reports",
                "database.sources.reports.host", "r:99999"));
        assertTrue(host.getMessage().startsWith("database.sources.reports.host must be ")
                && host.getMessage().endsWith("but was \"r:99999\""), host.getMessage());
        IllegalArgumentException secret = assertThrows(IllegalArgumentException.class, () -> source("reports",
                "database.sources.reports.host", "r", "database.sources.reports.password", CANARY,
                "database.sources.reports.port", "x"));
        assertFalse(secret.getMessage().contains(CANARY), secret.getMessage());
    }

    @Test
    void sourceNamesAreReadInOrderAndMustBeReachableThroughTheEnvironment() {
        assertEquals(List.of(), DatabaseSettings.sourceNames(reader()), "no sources by default");
        assertEquals(List.of("reports", "legacy-crm", "db2"),
                DatabaseSettings.sourceNames(reader("database.sources", "reports, legacy-crm,db2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Reports", "my.db", "2db", "a b", "reports,", "a-b,a_b", "reports,reports",
            "abcdefghijklmnopqrstuvwxyz0123456"})
    void aSourceNameTheEnvironmentCannotReachIsRefused(String names) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.sourceNames(reader("database.sources", names)));
        assertTrue(error.getMessage().startsWith("database.sources must be ")
                && error.getMessage().contains("DATABASE_SOURCES_NAME_")
                && error.getMessage().endsWith("but was \"" + names + "\""), error.getMessage());
    }

    @Test
    void aSourceIsRequiredForReadinessUnlessMarkedNot() {
        assertTrue(DatabaseSettings.sourceRequired(reader(), "reports"), "required by default");
        assertFalse(DatabaseSettings.sourceRequired(reader("database.sources.reports.required", "false"), "reports"));
        assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.sourceRequired(reader("database.sources.reports.required", "no"), "reports"));
    }

    @Test
    void theReplicaTakesThePrimarysSettingsButNeverGeneratesSchemaAndWaitsBrieflyForAConnection() {
        assertEquals(Optional.empty(), replica("database.host", "db"), "no replica without its host or URL");
        DatabaseSettings replica = replica("database.host", "db", "database.user", "app", "database.pool.size", "8",
                "database.schema", "app", "database.replica.host", "db-ro", "database.replica.pool.size", "4")
                .orElseThrow();
        assertEquals("jdbc:postgresql://db-ro:5432/app", replica.jdbcUrl());
        assertEquals("app", replica.user(), "the primary's user");
        assertEquals(4, replica.pool().size(), "its own pool size");
        assertEquals(DatabaseSettings.SchemaGeneration.NONE, replica.schemaGeneration(), "no DDL on a replica");
        assertEquals(Duration.ofSeconds(1), replica.pool().timeout(), "a short wait, not the primary's 30 s");
        assertFalse(replica.failFast() || replica.createDatabase(), "neither fail-fast nor create-database");
        assertEquals(Duration.ofMillis(300), replica("database.replica.host", "r", "database.pool.timeout", "20s",
                "database.replica.pool.timeout", "300ms").orElseThrow().pool().timeout(), "its own timeout when set");
        assertTrue(DatabaseSettings.replicaFallback(reader()), "falls back to the primary by default");
        assertFalse(DatabaseSettings.replicaFallback(reader("database.replica.fallback", "false")));
    }

    @Test
    void aReplicaOfAnotherTypeOnSeveralHostsOrWithItsOwnSchemaGenerationIsRefused() {
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> replica("database.replica.host", "r", "database.replica.type", "mysql"));
        assertTrue(type.getMessage().startsWith("database.replica.type must be the primary's type, postgresql")
                && type.getMessage().endsWith("but was \"mysql\""), type.getMessage());
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> replica("database.replica.url", "jdbc:mysql://r/app"));
        assertTrue(url.getMessage().startsWith("database.replica.url must be a JDBC URL starting with"),
                url.getMessage());
        IllegalArgumentException hosts = assertThrows(IllegalArgumentException.class,
                () -> replica("database.replica.host", "r1,r2"));
        assertTrue(hosts.getMessage().startsWith("database.replica.host must be one host"), hosts.getMessage());
        IllegalArgumentException generation = assertThrows(IllegalArgumentException.class,
                () -> replica("database.replica.host", "r", "database.replica.schema-generation", "create"));
        assertTrue(generation.getMessage().contains("database.replica.schema-generation"), generation.getMessage());
    }

    @Test
    void severalHostsAskPostgresqlForThePrimaryAndConnectorJForWritableFailover() {
        DatabaseSettings postgres = DatabaseSettings.read(reader("database.host", "pg1, pg2:5433",
                "database.schema", "app"));
        assertEquals(List.of("pg1:5432", "pg2:5433"), postgres.hosts());
        assertEquals("jdbc:postgresql://pg1:5432,pg2:5433/app?targetServerType=primary&hostRecheckSeconds=2",
                postgres.jdbcUrl());
        DatabaseSettings mysql = DatabaseSettings.read(reader("database.type", "mysql",
                "database.host", "[::1]:3307,db", "database.schema", "app"));
        assertEquals("jdbc:mysql://[::1]:3307,db:3306/app?failOverReadOnly=false&characterEncoding=UTF-8",
                mysql.jdbcUrl());
        assertEquals("jdbc:postgresql://db:5432/app", DatabaseSettings.read(reader("database.host", "db",
                "database.schema", "app")).jdbcUrl(), "one host: no parameters");
    }
}
