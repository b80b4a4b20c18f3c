package dev.dblayer.db;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.dblayer.config.SettingsReader;

/**
 * The {@code database.*} settings, read once at startup and validated. Immutable and
 * thread-safe. {@link #toString()} never shows the password.
 *
 * <p>See {@code docs/configuration.md} for every key; each default is the constant beside it.
 *
 * @param type            {@code database.type}: postgresql (default) or mysql
 * @param host            {@code database.host}: default {@code localhost}
 * @param port            {@code database.port}: default 5432 / 3306 by type
 * @param user            {@code database.user}: default {@code postgres} / {@code root} by type
 * @param password        {@code database.password}: default empty; never logged
 * @param database        the database name: {@code database.schema} (default {@code fba}), with
 *                        {@code _test} appended when {@code database.test=true}
 * @param charset         {@code database.charset}: default {@code utf8mb4}, MySQL only
 * @param echo            {@code database.echo}: false (default), true (SQL) or debug (SQL and binds)
 * @param poolEcho        {@code database.pool.echo}: log every check-out and check-in
 * @param pool            the {@code database.pool.*} settings
 * @param url             {@code database.url}: a whole JDBC URL, instead of host/port/schema
 * @param dataSource      {@code database.datasource}: JNDI name of a server DataSource; no pool is built
 * @param schemaGeneration {@code database.schema-generation}: create (default), none, drop-and-create
 * @param persistenceUnit {@code database.persistence-unit}: the unit to deploy; empty means the only one
 * @param failFast        {@code database.fail-fast}: fail the deployment when the database is unreachable
 * @param createDatabase  {@code database.create-database}: create the database at startup when it is missing
 */
public record DatabaseSettings(
        DatabaseType type,
        String host,
        int port,
        String user,
        String password,
        String database,
        String charset,
        Echo echo,
        boolean poolEcho,
        PoolSettings pool,
        Optional<String> url,
        Optional<String> dataSource,
        SchemaGeneration schemaGeneration,
        Optional<String> persistenceUnit,
        boolean failFast,
        boolean createDatabase) {

    public static final String TYPE = "database.type";
    public static final String HOST = "database.host";
    public static final String PORT = "database.port";
    public static final String USER = "database.user";
    public static final String PASSWORD = "database.password";
    public static final String SCHEMA = "database.schema";
    public static final String TEST = "database.test";
    public static final String CHARSET = "database.charset";
    public static final String ECHO = "database.echo";
    public static final String POOL_ECHO = "database.pool.echo";
    public static final String POOL_SIZE = "database.pool.size";
    public static final String POOL_MAX_OVERFLOW = "database.pool.max-overflow";
    public static final String POOL_TIMEOUT = "database.pool.timeout";
    public static final String POOL_RECYCLE = "database.pool.recycle";
    public static final String POOL_PRE_PING = "database.pool.pre-ping";
    public static final String URL = "database.url";
    public static final String DATASOURCE = "database.datasource";
    public static final String SCHEMA_GENERATION = "database.schema-generation";
    public static final String ALLOW_DROP = "database.schema-generation.allow-drop";
    public static final String PERSISTENCE_UNIT = "database.persistence-unit";
    public static final String FAIL_FAST = "database.fail-fast";
    public static final String CREATE_DATABASE = "database.create-database";

    static final String DEFAULT_HOST = "localhost";
    static final String DEFAULT_SCHEMA = "fba";
    static final String DEFAULT_CHARSET = "utf8mb4";

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$-]{1,63}");
    /** The MySQL character sets {@code database.charset} accepts, with the Java encoding the driver needs. */
    private static final Map<String, String> CHARSETS = Map.of(
            "utf8mb4", "characterEncoding=UTF-8",
            "utf8mb3", "characterEncoding=UTF-8&connectionCollation=utf8mb3_general_ci",
            "utf8", "characterEncoding=UTF-8&connectionCollation=utf8mb3_general_ci",
            "latin1", "characterEncoding=Cp1252",
            "ascii", "characterEncoding=US-ASCII");

    /** What {@code database.echo} turns on. */
    public enum Echo {
        /** No SQL logging (default). */
        FALSE,
        /** Log each SQL statement. */
        TRUE,
        /** Log each SQL statement with its bind parameters. */
        DEBUG
    }

    /** What {@code database.schema-generation} does when the persistence unit is deployed. */
    public enum SchemaGeneration {
        /** Create the tables that are missing; existing tables are left alone (default). */
        CREATE,
        /** Touch no table. */
        NONE,
        /** Drop every table of the unit, then create them; needs {@code database.schema-generation.allow-drop=true}. */
        DROP_AND_CREATE
    }

    /**
     * The pool settings (see {@code docs/configuration.md} for how each maps onto HikariCP).
     *
     * @param size        {@code database.pool.size}: connections kept open, default 10
     * @param maxOverflow {@code database.pool.max-overflow}: extra connections under load, default 20
     * @param timeout     {@code database.pool.timeout}: wait for a free connection, default 30 s
     * @param recycle     {@code database.pool.recycle}: retire connections older than this, default 3600 s
     * @param prePing     {@code database.pool.pre-ping}: validate before handing out, default true
     */
    public record PoolSettings(int size, int maxOverflow, Duration timeout, Duration recycle, boolean prePing) {

        /** The most connections the pool opens: {@code size + maxOverflow}. */
        public int maxSize() {
            return size + maxOverflow;
        }
    }

    /** Reads and validates the settings; throws {@link IllegalArgumentException} naming the bad key. */
    public static DatabaseSettings read(SettingsReader config) {
        DatabaseType type = config.choice(TYPE, DatabaseType.POSTGRESQL, DatabaseType.class);
        Optional<String> url = config.string(URL);
        Optional<String> dataSource = config.string(DATASOURCE);
        if (url.isPresent()) {
            for (String conflicting : new String[] {HOST, PORT, SCHEMA, DATASOURCE}) {
                if (config.isSet(conflicting)) {
                    throw new IllegalArgumentException(URL + " and " + conflicting
                            + " are both set; set either " + URL + " or the separate settings, not both");
                }
            }
            if (!url.get().startsWith(type.urlPrefix())) {
                throw SettingsReader.invalid(URL, redact(url.get()), "a JDBC URL starting with \"" + type.urlPrefix()
                        + "\" for " + TYPE + "=" + SettingsReader.settingName(type));
            }
        }
        String host = config.matching(HOST, DEFAULT_HOST, HOST_NAME, "a host name or IP address");
        int port = config.integer(PORT, type.defaultPort(), 1, 65535);
        String user = config.string(USER, type.defaultUser());
        String schema = config.matching(SCHEMA, DEFAULT_SCHEMA, NAME,
                "a database name of 1 to 63 letters, digits, _, $ or -");
        String database = config.bool(TEST, false) ? schema + "_test" : schema;
        String givenCharset = config.string(CHARSET, DEFAULT_CHARSET);
        String charset = givenCharset.toLowerCase(java.util.Locale.ROOT);
        if (!CHARSETS.containsKey(charset)) {
            throw SettingsReader.invalid(CHARSET, givenCharset, "one of " + new java.util.TreeSet<>(CHARSETS.keySet()));
        }

        int size = config.integer(POOL_SIZE, 10, 1, 1000);
        int maxOverflow = config.integer(POOL_MAX_OVERFLOW, 20, 0, 1000);
        Duration timeout = config.duration(POOL_TIMEOUT, Duration.ofSeconds(30), Duration.ofMillis(250));
        Duration recycle = config.duration(POOL_RECYCLE, Duration.ofSeconds(3600), Duration.ofSeconds(30));
        boolean prePing = config.bool(POOL_PRE_PING, true);

        SchemaGeneration generation = config.choice(SCHEMA_GENERATION, SchemaGeneration.CREATE,
                SchemaGeneration.class);
        if (generation == SchemaGeneration.DROP_AND_CREATE && !config.bool(ALLOW_DROP, false)) {
            throw new IllegalArgumentException(SCHEMA_GENERATION + "=drop-and-create drops every table of the"
                    + " persistence unit; set " + ALLOW_DROP + "=true as well to allow it");
        }
        return new DatabaseSettings(type, host, port, user, config.secret(PASSWORD), database, charset,
                config.choice(ECHO, Echo.FALSE, Echo.class), config.bool(POOL_ECHO, false),
                new PoolSettings(size, maxOverflow, timeout, recycle, prePing),
                url, dataSource, generation, config.string(PERSISTENCE_UNIT), config.bool(FAIL_FAST, false),
                createDatabase(config, url.isPresent() || dataSource.isPresent()));
    }

    private static boolean createDatabase(SettingsReader config, boolean urlOrDataSource) {
        boolean create = config.bool(CREATE_DATABASE, false);
        if (create && urlOrDataSource) {
            throw new IllegalArgumentException(CREATE_DATABASE + "=true needs database.host, database.port and "
                    + "database.schema; it cannot be combined with " + URL + " or " + DATASOURCE);
        }
        return create;
    }

    /** The JDBC URL: {@code database.url} when set, otherwise built from host, port and database. */
    public String jdbcUrl() {
        if (url.isPresent()) {
            return url.get();
        }
        String address = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        String base = type.urlPrefix() + "//" + address + ":" + port + "/" + database;
        return switch (type) {
            case POSTGRESQL -> base;
            case MYSQL -> base + "?" + CHARSETS.get(charset);
        };
    }

    /** Where the module connects, for logs and health data: the URL without user or password. */
    public String describe() {
        return dataSource.map(name -> "DataSource " + name).orElseGet(() -> redact(jdbcUrl()));
    }

    /**
     * A JDBC URL without its parameters and user info, either of which may hold a password, and with
     * the passwords of Connector/J's key-value host forms ({@code (host=db,password=x)},
     * {@code address=(password=x)}) masked.
     */
    static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        String shown = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?...";
        shown = shown.replaceAll("(?i)(password=)[^,)]*", "$1***");
        // Up to the last '@' before the path: a password may hold '@' itself.
        return shown.replaceFirst("//[^/]*@", "//");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[type=" + SettingsReader.settingName(type) + ", target=" + describe()
                + ", user=" + user + ", password=" + (password.isEmpty() ? "(empty)" : "(set)")
                + ", pool=" + pool + ", schemaGeneration=" + SettingsReader.settingName(schemaGeneration) + "]";
    }
}
