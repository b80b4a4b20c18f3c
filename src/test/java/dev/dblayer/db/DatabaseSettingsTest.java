package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.dblayer.db.DatabaseSettings.Echo;
import dev.dblayer.db.DatabaseSettings.PoolSettings;
import dev.dblayer.db.DatabaseSettings.SchemaGeneration;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.testsupport.SettingsRefusals;

class DatabaseSettingsTest {

    private static final String CANARY = "canary-pw-7731";

    private static DatabaseSettings read(String... keysAndValues) {
        return DatabaseSettings.read(SettingsReader.of(map(keysAndValues)));
    }

    private static Map<String, String> map(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    @Test
    void createDatabaseIsOffByDefaultAndCannotBeCombinedWithAUrl() {
        assertFalse(read().createDatabase(), "database.create-database defaults to false");
        assertTrue(read("database.create-database", "true").createDatabase(), "database.create-database=true is read");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("database.create-database", "true", "database.url", "jdbc:postgresql://db/app"),
                "create-database needs host, port and schema, not a whole URL");
        assertTrue(error.getMessage().contains("database.create-database"), "the message names the key: "
                + error.getMessage());
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        DatabaseSettings settings = read();
        assertEquals(DatabaseType.POSTGRESQL, settings.type(), "postgresql by default");
        assertEquals("localhost", settings.host(), "localhost by default");
        assertEquals(5432, settings.port(), "PostgreSQL's port by default");
        assertEquals("postgres", settings.user(), "PostgreSQL's user by default");
        assertEquals("", settings.password(), "empty password by default");
        assertEquals("fba", settings.database(), "database fba by default");
        assertEquals("utf8mb4", settings.charset(), "utf8mb4 by default");
        assertEquals(Echo.FALSE, settings.echo(), "no SQL logging by default");
        assertFalse(settings.poolEcho(), "no pool logging by default");
        assertEquals(new DatabaseSettings.PoolSettings(10, 20, Duration.ofSeconds(30), Duration.ofSeconds(3600), true),
                settings.pool(), "pool 10 + 20, 30 s timeout, 3600 s recycle, pre-ping on by default");
        assertEquals(30, settings.pool().maxSize(), "at most size + overflow connections");
        assertEquals(Optional.empty(), settings.url(), "no URL by default");
        assertEquals(Optional.empty(), settings.dataSource(), "no server DataSource by default");
        assertEquals(SchemaGeneration.CREATE, settings.schemaGeneration(), "create by default");
        assertEquals(Optional.empty(), settings.persistenceUnit(), "the only unit by default");
        assertFalse(settings.failFast(), "fail-fast off by default");
        assertEquals(Duration.ofSeconds(60), settings.schemaLockTimeout(), "a 60 s bound on the schema lock by default");
    }

    @Test
    void mysqlDefaultsToPort3306AndUserRoot() {
        DatabaseSettings settings = read("database.type", "mysql");
        assertEquals(DatabaseType.MYSQL, settings.type(), "mysql as given");
        assertEquals(3306, settings.port(), "MySQL's port by default");
        assertEquals("root", settings.user(), "MySQL's user by default");
    }

    @Test
    void readsEverySetting() {
        DatabaseSettings settings = read("database.type", "MySQL", "database.host", "db.internal",
                "database.port", "3307", "database.user", "app", "database.password", CANARY,
                "database.schema", "shop", "database.charset", "LATIN1", "database.echo", "debug",
                "database.pool.echo", "true", "database.pool.size", "2", "database.pool.max-overflow", "0",
                "database.pool.timeout", "500ms", "database.pool.recycle", "5m", "database.pool.pre-ping", "false",
                "database.schema-generation", "none", "database.persistence-unit", "shop",
                "database.fail-fast", "true", "database.schema-generation.lock-timeout", "5m",
                "database.pk-mode", "Snowflake");
        assertEquals(DatabaseSettings.PkMode.SNOWFLAKE, settings.pkMode(), "pk mode in any case");
        assertEquals(DatabaseSettings.PkMode.AUTOINCREMENT, read().pkMode(), "autoincrement by default");
        assertEquals("jdbc:mysql://db.internal:3307/shop?characterEncoding=Cp1252", settings.jdbcUrl(),
                "URL from host, port, schema and charset");
        assertEquals("app", settings.user(), "user as given");
        assertEquals(CANARY, settings.password(), "password as given");
        assertEquals(Echo.DEBUG, settings.echo(), "echo as given");
        assertTrue(settings.poolEcho(), "pool echo as given");
        assertEquals(new DatabaseSettings.PoolSettings(2, 0, Duration.ofMillis(500), Duration.ofMinutes(5), false),
                settings.pool(), "pool settings as given");
        assertEquals(SchemaGeneration.NONE, settings.schemaGeneration(), "schema generation as given");
        assertEquals(Optional.of("shop"), settings.persistenceUnit(), "persistence unit as given");
        assertTrue(settings.failFast(), "fail-fast as given");
        assertEquals(Duration.ofMinutes(5), settings.schemaLockTimeout(), "schema lock bound as given");
    }

    @Test
    void testModeAppendsTestToTheDatabaseName() {
        assertEquals("fba_test", read("database.test", "true").database(), "database.test=true uses fba_test");
        assertEquals("shop_test", read("database.test", "true", "database.schema", "shop").database(),
                "database.test=true appends _test to the configured schema");
        assertEquals("jdbc:postgresql://localhost:5432/fba_test", read("database.test", "true").jdbcUrl(),
                "the URL uses the test database");
        assertEquals("fba", read("database.test", "false").database(), "database.test=false keeps the name");
    }

    @Test
    void buildsPostgresqlUrls() {
        assertEquals("jdbc:postgresql://localhost:5432/fba", read().jdbcUrl(), "default PostgreSQL URL");
        assertEquals("jdbc:postgresql://10.0.0.5:6543/shop",
                read("database.host", "10.0.0.5", "database.port", "6543", "database.schema", "shop").jdbcUrl(),
                "host, port and schema go into the URL");
    }

    @ParameterizedTest(name = "host {0}")
    @CsvSource({"::1, [::1]", "'[::1]', [::1]", "fe80::1%eth0, [fe80::1%eth0]", "2001:db8::7, [2001:db8::7]"})
    void putsIpv6HostsInBrackets(String host, String shown) {
        assertEquals("jdbc:postgresql://" + shown + ":5432/fba", read("database.host", host).jdbcUrl(),
                "an IPv6 address is bracketed once in a PostgreSQL URL");
        assertEquals("jdbc:mysql://" + shown + ":3306/fba?characterEncoding=UTF-8",
                read("database.type", "mysql", "database.host", host).jdbcUrl(),
                "an IPv6 address is bracketed once in a MySQL URL");
    }

    @ParameterizedTest(name = "charset {0}")
    @CsvSource(delimiter = '|', value = {
            "utf8mb4 | characterEncoding=UTF-8",
            "utf8mb3 | characterEncoding=UTF-8&connectionCollation=utf8mb3_general_ci",
            "utf8    | characterEncoding=UTF-8&connectionCollation=utf8mb3_general_ci",
            "latin1  | characterEncoding=Cp1252",
            "ascii   | characterEncoding=US-ASCII"})
    void mapsMysqlCharsetsOntoDriverParameters(String charset, String parameters) {
        assertEquals("jdbc:mysql://localhost:3306/fba?" + parameters,
                read("database.type", "mysql", "database.charset", charset).jdbcUrl(),
                "charset " + charset + " becomes the driver parameters " + parameters);
    }

    @Test
    void postgresqlUrlsCarryNoCharset() {
        assertEquals("jdbc:postgresql://localhost:5432/fba", read("database.charset", "latin1").jdbcUrl(),
                "database.charset is MySQL only");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "postgresql | jdbc:postgresql://db:5432/app?sslmode=require",
            "mysql      | jdbc:mysql://db:3306/app?useSSL=true"})
    void usesDatabaseUrlAsIs(String type, String url) {
        DatabaseSettings settings = read("database.type", type, "database.url", url, "database.charset", "latin1",
                "database.test", "true");
        assertEquals(url, settings.jdbcUrl(), "database.url is used exactly as given");
        assertEquals(Optional.of(url), settings.url(), "database.url is kept");
    }

    @ParameterizedTest(name = "database.url with {0}")
    @ValueSource(strings = {"database.host", "database.port", "database.schema", "database.datasource"})
    void rejectsDatabaseUrlCombinedWithSeparateSettings(String conflicting) {
        String value = conflicting.equals("database.port") ? "5432" : "x";
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("database.url", "jdbc:postgresql://db/app", conflicting, value),
                "database.url and " + conflicting + " together are refused");
        assertTrue(error.getMessage().contains("database.url") && error.getMessage().contains(conflicting),
                "the message names both keys: " + error.getMessage());
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"postgresql, jdbc:mysql://db/app", "mysql, jdbc:postgresql://db/app", "mysql, jdbc:mariadb://db/app",
            "postgresql, postgresql://db/app"})
    void rejectsDatabaseUrlOfAnotherType(String type, String url) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("database.type", type, "database.url", url), url + " is not a " + type + " URL");
        assertTrue(error.getMessage().startsWith("database.url must be a JDBC URL starting with \"jdbc:"),
                "the message says which prefix is needed: " + error.getMessage());
        assertTrue(error.getMessage().contains("database.type=" + type), "the message names the type: "
                + error.getMessage());
        assertTrue(error.getMessage().endsWith("but was \"" + url + "\""), "the message shows the URL: "
                + error.getMessage());
    }

    @Test
    void refusesDropAndCreateWithoutAllowDrop() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("database.schema-generation", "drop-and-create"), "drop-and-create alone is refused");
        assertTrue(error.getMessage().contains("database.schema-generation.allow-drop=true"),
                "the message says how to allow it: " + error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> read("database.schema-generation", "drop-and-create",
                "database.schema-generation.allow-drop", "false"), "allow-drop=false refuses it too");
        assertEquals(SchemaGeneration.DROP_AND_CREATE, read("database.schema-generation", "drop-and-create",
                "database.schema-generation.allow-drop", "true").schemaGeneration(),
                "drop-and-create with allow-drop=true is accepted");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "database.type, oracle",
            "database.type, postgres",
            "database.host, db host",
            "database.host, db/1",
            "database.host, db:65536",
            "database.host, 'db:5432,db2:x'",
            "database.host, 'db,,db2'",
            "'database.host', '[db]'",
            "database.port, 0",
            "database.port, 65536",
            "database.port, http",
            "database.schema, fba;drop",
            "database.schema, fba.x",
            "database.schema, a234567890123456789012345678901234567890123456789012345678901234",
            "database.test, yes",
            "database.charset, utf16",
            "database.charset, UTF16",
            "database.echo, verbose",
            "database.pool.echo, 1",
            "database.pool.size, 0",
            "database.pool.size, 1001",
            "database.pool.size, ten",
            "database.pool.max-overflow, -1",
            "database.pool.max-overflow, 1001",
            "database.pool.timeout, 100ms",
            "database.pool.timeout, 0",
            "database.pool.timeout, 1.5s",
            "database.pool.timeout, -1",
            "database.pool.recycle, 29s",
            "database.pool.recycle, forever",
            "database.pool.pre-ping, maybe",
            "database.schema-generation, update",
            "database.schema-generation, drop_and_create",
            "database.schema-generation.allow-drop, sure",
            "database.schema-generation.lock-timeout, 999ms",
            "database.schema-generation.lock-timeout, 0",
            "database.schema-generation.lock-timeout, forever",
            "database.fail-fast, on",
            "database.pk-mode, uuid",
            "database.pk-mode, snow flake"})
    void rejectsInvalidValuesNamingKeyAndValue(String key, String value) {
        Map<String, String> values = map(key, value);
        if (key.equals(DatabaseSettings.ALLOW_DROP)) {
            values.put(DatabaseSettings.SCHEMA_GENERATION, "drop-and-create");
        }
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.read(SettingsReader.of(values)), key + "=" + value + " is refused");
        assertTrue(error.getMessage().contains(key), "the message names the key " + key + ": " + error.getMessage());
        assertTrue(error.getMessage().contains("\"" + value + "\""),
                "the message quotes the value " + value + ": " + error.getMessage());
    }

    @Test
    void toStringNeverShowsThePassword() {
        DatabaseSettings settings = read("database.password", CANARY);
        assertFalse(settings.toString().contains(CANARY), "toString hides the password: " + settings);
        assertTrue(settings.toString().contains("password=(set)"), "toString says a password is set: " + settings);
        assertTrue(read().toString().contains("password=(empty)"), "toString says the password is empty");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "jdbc:postgresql://db:5432/app?user=app&password=" + CANARY,
            "jdbc:postgresql://app:" + CANARY + "@db:5432/app",
            "jdbc:postgresql://db/app?ssl=true&password=" + CANARY + "&x=1"})
    void toStringNeverShowsAPasswordInTheUrl(String url) {
        DatabaseSettings settings = read("database.url", url);
        assertFalse(settings.toString().contains(CANARY), "toString hides a password in the URL: " + settings);
        assertFalse(settings.describe().contains(CANARY), "describe() hides a password in the URL: "
                + settings.describe());
        assertTrue(settings.describe().contains("db"), "describe() still names the host: " + settings.describe());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "jdbc:postgresql://db:5432/app?password=" + CANARY,
            "jdbc:postgresql://user:" + CANARY + "@db:5432/app",
            "jdbc:postgresql://user:" + CANARY + "@db:5432/app?password=" + CANARY,
            "jdbc:mysql://root:" + CANARY + "@db/app",
            "jdbc:mysql://db/app?user=root&password=" + CANARY})
    void errorsNeverShowAPasswordInTheUrl(String url) {
        // The wrong type for each URL makes its prefix invalid, so that the URL is quoted in the message.
        String otherType = url.startsWith("jdbc:mysql:") ? "postgresql" : "mysql";
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> read("database.type", otherType, "database.url", url, "database.password", CANARY),
                "a URL of another type is refused");
        assertFalse(wrongType.getMessage().contains(CANARY), "the message hides the password: "
                + wrongType.getMessage());
        IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class,
                () -> read("database.url", url, "database.host", "db", "database.password", CANARY),
                "database.url beside database.host is refused");
        assertFalse(conflict.getMessage().contains(CANARY), "the conflict message hides the password: "
                + conflict.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "jdbc:mysql://root:can@ry-pw-7731@db/app",
            "jdbc:mysql://address=(host=db)(user=root)(password=" + CANARY + ")/app",
            "jdbc:mysql://(host=db,user=root,password=" + CANARY + ")/app",
            "jdbc:mysql://(host=db,PASSWORD=" + CANARY + ",user=root)/app",
            "jdbc:mysql://root:" + CANARY + "@db1,db2:3307/app"})
    void neverShowsAPasswordInConnectorJUrlForms(String url) {
        // Connector/J also takes the password in user info containing '@' and in its key-value host forms.
        DatabaseSettings settings = read("database.type", "mysql", "database.url", url);
        assertFalse(settings.toString().contains("7731"), "toString hides the password: " + settings);
        assertFalse(settings.describe().contains("7731"), "describe() (logged at startup) hides the password: "
                + settings.describe());
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> read("database.url", url), "a MySQL URL for database.type=postgresql is refused");
        assertFalse(wrongType.getMessage().contains("7731"), "the message hides the password: "
                + wrongType.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"database.port=0", "database.pool.size=0", "database.type=oracle",
            "database.schema-generation=drop-and-create", "database.pool.timeout=abc"})
    void errorsAboutOtherSettingsNeverShowThePassword(String bad) {
        String[] keyValue = bad.split("=", 2);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read(keyValue[0], keyValue[1], "database.password", CANARY), bad + " is refused");
        assertFalse(error.getMessage().contains(CANARY), "the message hides the password: " + error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void describeShowsWhereTheModuleConnects(DatabaseType type) {
        DatabaseSettings settings = read("database.type", type.name().toLowerCase(), "database.host", "db");
        assertTrue(settings.describe().startsWith(type.urlPrefix() + "//db:" + type.defaultPort() + "/fba"),
                "describe() is the URL: " + settings.describe());
        assertEquals("DataSource jdbc/app", read("database.datasource", "jdbc/app").describe(),
                "describe() names the server DataSource when one is used");
    }

    /** The defaults, as read; the cases below change one component and build the record directly. */
    private static final DatabaseSettings DEFAULTS = read();
    private static final PoolSettings POOL = DEFAULTS.pool();

    private static DatabaseSettings built(String host, int port, String database, String charset, PoolSettings pool,
            Optional<String> url, boolean createDatabase) {
        DatabaseSettings d = DEFAULTS;
        return new DatabaseSettings(d.type(), host, port, d.user(), CANARY, database, charset, d.echo(),
                d.poolEcho(), pool, url, d.dataSource(), d.schemaGeneration(), d.persistenceUnit(), d.failFast(),
                createDatabase, d.schemaLockTimeout(), d.pkMode(), d.migration());
    }

    private static Executable host(String host) {
        return () -> built(host, 5432, "fba", "utf8mb4", POOL, Optional.empty(), false);
    }

    private static Executable port(int port) {
        return () -> built("localhost", port, "fba", "utf8mb4", POOL, Optional.empty(), false);
    }

    private static Executable database(String database) {
        return () -> built("localhost", 5432, database, "utf8mb4", POOL, Optional.empty(), false);
    }

    private static Executable charset(String charset) {
        return () -> built("localhost", 5432, "fba", charset, POOL, Optional.empty(), false);
    }

    private static Executable url(String url) {
        return () -> built("localhost", 5432, "fba", "utf8mb4", POOL, Optional.of(url), false);
    }

    private static Executable schemaLockTimeout(Duration timeout) {
        DatabaseSettings d = DEFAULTS;
        return () -> new DatabaseSettings(d.type(), d.host(), d.port(), d.user(), CANARY, d.database(), d.charset(),
                d.echo(), d.poolEcho(), POOL, d.url(), d.dataSource(), d.schemaGeneration(), d.persistenceUnit(),
                d.failFast(), d.createDatabase(), timeout, d.pkMode(), d.migration());
    }

    static Stream<Arguments> badValuesBuiltDirectly() {
        Duration timeout = POOL.timeout();
        Duration recycle = POOL.recycle();
        return Stream.of(
                Arguments.of("database.host", "db host", host("db host")),
                Arguments.of("database.host", "db:0", host("db:0")),
                Arguments.of("database.port", "0", port(0)),
                Arguments.of("database.port", "65536", port(65536)),
                Arguments.of("database.schema", "fba;drop", database("fba;drop")),
                Arguments.of("database.charset", "UTF16", charset("UTF16")),
                Arguments.of("database.url", "jdbc:mysql://db/app", url("jdbc:mysql://db/app")),
                Arguments.of("database.pool.size", "0",
                        (Executable) () -> new PoolSettings(0, 20, timeout, recycle, true)),
                Arguments.of("database.pool.size", "1001",
                        (Executable) () -> new PoolSettings(1001, 20, timeout, recycle, true)),
                Arguments.of("database.pool.max-overflow", "-1",
                        (Executable) () -> new PoolSettings(10, -1, timeout, recycle, true)),
                Arguments.of("database.pool.timeout", "100ms",
                        (Executable) () -> new PoolSettings(10, 20, Duration.ofMillis(100), recycle, true)),
                Arguments.of("database.pool.recycle", "29s",
                        (Executable) () -> new PoolSettings(10, 20, timeout, Duration.ofSeconds(29), true)),
                Arguments.of("database.schema-generation.lock-timeout", "999ms",
                        schemaLockTimeout(Duration.ofMillis(999))));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValuesBuiltDirectly")
    void refusesABadValueWhenBuiltDirectlyWithTheMessageReadGives(String key, String value, Executable build) {
        SettingsRefusals.assertSameRefusal(key, value, CANARY, build, () -> read(key, value));
    }

    @Test
    void refusesCreateDatabaseWithAUrlWhenBuiltDirectly() {
        IllegalArgumentException built = assertThrows(IllegalArgumentException.class,
                () -> built("localhost", 5432, "fba", "utf8mb4", POOL, Optional.of("jdbc:postgresql://db/app"), true),
                "the constructor refuses create-database with a URL");
        IllegalArgumentException read = assertThrows(IllegalArgumentException.class,
                () -> read("database.create-database", "true", "database.url", "jdbc:postgresql://db/app"),
                "read() refuses create-database with a URL");
        assertTrue(built.getMessage().startsWith("database.create-database=true needs"),
                "the message names the key: " + built.getMessage());
        assertEquals(built.getMessage(), read.getMessage(), "read() gives the constructor's message");
    }

    @Test
    void readQuotesADurationAsWrittenWhereTheRecordWouldNormaliseIt() {
        IllegalArgumentException read = assertThrows(IllegalArgumentException.class,
                () -> read("database.pool.timeout", "PT0.1S"), "100 ms is below the 250 ms minimum");
        assertEquals("database.pool.timeout must be a duration of at least 250ms (seconds as a number, or with a "
                + "unit: 500ms, 30s, 5m, 1h, or ISO-8601 such as PT30S) but was \"PT0.1S\"", read.getMessage(),
                "the message quotes the value as it stands in the configuration");
    }

    @Test
    void buildsDirectlyWhatReadWouldBuild() {
        assertEquals(read("database.host", "::1", "database.charset", "LATIN1", "database.password", CANARY),
                built("::1", 5432, "fba", "LATIN1", POOL, Optional.empty(), false),
                "the same values give equal records, the charset in lower case either way");
        assertEquals("jdbc:postgresql://[::1]:5432/fba",
                built("::1", 5432, "fba", "utf8mb4", POOL, Optional.empty(), false).jdbcUrl(),
                "an IPv6 host built directly is bracketed in the URL");
        assertThrows(NullPointerException.class,
                () -> built(null, 5432, "fba", "utf8mb4", POOL, Optional.empty(), false), "a null host is refused");
    }

    @Test
    void refusesATestDatabaseNameLongerThan63Characters() {
        String schema = "a".repeat(59);
        assertEquals(schema, read("database.schema", schema).database(), "59 characters are a valid name");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("database.schema", schema, "database.test", "true"), "with _test the name has 64");
        assertTrue(error.getMessage().startsWith("database.schema must be a database name of 1 to 63")
                        && error.getMessage().endsWith("but was \"" + schema + "_test\""),
                "the message names the key and the whole name: " + error.getMessage());
    }
}
