package dev.dblayer.db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.dblayer.internal.Checks;
import dev.dblayer.internal.Hosts;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.migration.MigrationSettings;

/**
 * The {@code database.*} settings, read once at startup. Immutable and thread-safe; valid however
 * built, since the constructor checks every value and throws {@link IllegalArgumentException}
 * naming the key, the value and what is allowed. {@link #toString()} never shows the password.
 *
 * <p>See {@code docs/configuration.md} for every key; each default is the constant named here.
 *
 * @param type            {@code database.type}: {@link #DEFAULT_TYPE} (postgresql) or mysql
 * @param host            {@code database.host}: default {@value #DEFAULT_HOST}; a host name or IP
 *                        address (IPv6 with or without brackets), checked by {@link Hosts}; or several,
 *                        separated by commas, each with an optional {@code :port}, of which the pool
 *                        connects to the primary (see {@link #jdbcUrl()})
 * @param port            {@code database.port}: 1 to 65535; default {@value #DEFAULT_PORT_POSTGRESQL}
 *                        or {@value #DEFAULT_PORT_MYSQL} by type
 * @param user            {@code database.user}: default {@value #DEFAULT_USER_POSTGRESQL} or
 *                        {@value #DEFAULT_USER_MYSQL} by type
 * @param password        {@code database.password}: default empty; never logged
 * @param database        the database name: {@code database.schema} (default {@value #DEFAULT_SCHEMA}),
 *                        with {@value #TEST_SUFFIX} appended when {@code database.test=true}; 1 to 63
 *                        letters, digits, {@code _}, {@code $} or {@code -} in all
 * @param charset         {@code database.charset}: default {@value #DEFAULT_CHARSET}, MySQL only; any
 *                        case, kept in lower case
 * @param echo            {@code database.echo}: {@link #DEFAULT_ECHO} (false), true (SQL) or debug (SQL and binds)
 * @param poolEcho        {@code database.pool.echo}: log every check-out and check-in, default {@value #DEFAULT_POOL_ECHO}
 * @param pool            the {@code database.pool.*} settings
 * @param url             {@code database.url}: a whole JDBC URL, instead of host/port/schema; it must
 *                        start with the type's {@link DatabaseType#urlPrefix()}
 * @param dataSource      {@code database.datasource}: JNDI name of a server DataSource; no pool is built
 * @param schemaGeneration {@code database.schema-generation}: {@link #DEFAULT_SCHEMA_GENERATION} (create),
 *                        none, drop-and-create, migrate or validate (Flyway, see {@code docs/migrations.md})
 * @param persistenceUnit {@code database.persistence-unit}: the unit to deploy; empty means the only one
 * @param failFast        {@code database.fail-fast}: fail the deployment when the database is unreachable,
 *                        default {@value #DEFAULT_FAIL_FAST}
 * @param createDatabase  {@code database.create-database}: create the database at startup when it is missing,
 *                        default {@value #DEFAULT_CREATE_DATABASE}; not with a URL or a DataSource
 * @param schemaLockTimeout {@code database.schema-generation.lock-timeout}: how long an instance waits for
 *                        another one that is generating the schema of the same database (see {@link SchemaLock}),
 *                        at least 1 s, default {@link #DEFAULT_SCHEMA_LOCK_TIMEOUT} (60 s)
 * @param pkMode          {@code database.pk-mode}: what {@link PrimaryKeys#GENERATOR} makes,
 *                        {@link #DEFAULT_PK_MODE} (autoincrement) or snowflake
 * @param migration       the {@code database.migration.*} settings, used with schema generation
 *                        {@code migrate} or {@code validate}
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
        boolean createDatabase,
        Duration schemaLockTimeout,
        PkMode pkMode,
        MigrationSettings migration) {

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
    public static final String SCHEMA_GENERATION_LOCK_TIMEOUT = "database.schema-generation.lock-timeout";
    static final String MIGRATION = "database.migration";
    public static final String PERSISTENCE_UNIT = "database.persistence-unit";
    public static final String FAIL_FAST = "database.fail-fast";
    public static final String CREATE_DATABASE = "database.create-database";
    public static final String PK_MODE = "database.pk-mode";
    /** The names of the named data sources, separated by commas; each is configured under {@code database.sources.NAME.*}. */
    public static final String SOURCES = "database.sources";
    /** Where the replica's keys are: {@code database.replica.host}, {@code database.replica.url}, ... */
    public static final String REPLICA = "database.replica";

    /** PostgreSQL with several hosts: the primary, whose state pgjdbc checks again after this many seconds. */
    static final String POSTGRESQL_PRIMARY = "targetServerType=primary&hostRecheckSeconds=2";
    /** Connector/J with several hosts: connections on the second host must take writes too. */
    static final String MYSQL_FAILOVER = "failOverReadOnly=false";

    static final DatabaseType DEFAULT_TYPE = DatabaseType.POSTGRESQL;
    static final String DEFAULT_HOST = "localhost";
    static final int DEFAULT_PORT_POSTGRESQL = 5432;
    static final int DEFAULT_PORT_MYSQL = 3306;
    static final String DEFAULT_USER_POSTGRESQL = "postgres";
    static final String DEFAULT_USER_MYSQL = "root";
    static final String DEFAULT_SCHEMA = "fba";
    static final boolean DEFAULT_TEST = false;
    /** Appended to the database name when {@code database.test=true}. */
    static final String TEST_SUFFIX = "_test";
    static final String DEFAULT_CHARSET = "utf8mb4";
    static final Echo DEFAULT_ECHO = Echo.FALSE;
    static final boolean DEFAULT_POOL_ECHO = false;
    static final int DEFAULT_POOL_SIZE = 10;
    static final int MIN_POOL_SIZE = 1;
    static final int MAX_POOL_SIZE = 1000;
    static final int DEFAULT_POOL_MAX_OVERFLOW = 20;
    static final int MAX_POOL_MAX_OVERFLOW = 1000;
    static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MIN_POOL_TIMEOUT = Duration.ofMillis(250);
    static final Duration DEFAULT_POOL_RECYCLE = Duration.ofSeconds(3600);
    static final Duration MIN_POOL_RECYCLE = Duration.ofSeconds(30);
    static final boolean DEFAULT_POOL_PRE_PING = true;
    static final SchemaGeneration DEFAULT_SCHEMA_GENERATION = SchemaGeneration.CREATE;
    static final boolean DEFAULT_ALLOW_DROP = false;
    static final Duration DEFAULT_SCHEMA_LOCK_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MIN_SCHEMA_LOCK_TIMEOUT = Duration.ofSeconds(1);
    static final boolean DEFAULT_FAIL_FAST = false;
    static final boolean DEFAULT_CREATE_DATABASE = false;
    static final PkMode DEFAULT_PK_MODE = PkMode.AUTOINCREMENT;

    private static final String POOL_SETTINGS = "database.pool.*";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$-]{1,63}");
    private static final String NAME_ALLOWED = "a database name of 1 to 63 letters, digits, _, $ or -";
    /** The MySQL character sets {@code database.charset} accepts, with the Java encoding the driver needs. */
    private static final Map<String, String> CHARSETS = Map.of(
            "utf8mb4", "characterEncoding=UTF-8",
            "utf8mb3", "characterEncoding=UTF-8&connectionCollation=utf8mb3_general_ci",
            "utf8", "characterEncoding=UTF-8&connectionCollation=utf8mb3_general_ci",
            "latin1", "characterEncoding=Cp1252",
            "ascii", "characterEncoding=US-ASCII");

    /** Checks every value; see the class documentation. The password is never checked nor shown. */
    public DatabaseSettings {
        Checks.given(TYPE, type);
        Hosts.port(PORT, port);
        Hosts.withPorts(HOST, host, port);
        Checks.given(USER, user);
        Checks.given(PASSWORD, password);
        Checks.matching(SCHEMA, database, NAME, NAME_ALLOWED);
        charset = knownCharset(charset);
        Checks.given(ECHO, echo);
        Checks.given(POOL_SETTINGS, pool);
        Checks.given(URL, url).ifPresent(given -> checkUrl(type, given));
        Checks.given(DATASOURCE, dataSource);
        Checks.given(SCHEMA_GENERATION, schemaGeneration);
        Checks.given(PERSISTENCE_UNIT, persistenceUnit);
        Checks.atLeast(SCHEMA_GENERATION_LOCK_TIMEOUT, schemaLockTimeout, MIN_SCHEMA_LOCK_TIMEOUT);
        Checks.given(PK_MODE, pkMode);
        Checks.given(MIGRATION, migration);
        if (schemaGeneration.migrates() && dataSource.isEmpty() && pool.size() + pool.maxOverflow() < 2) {
            throw new IllegalArgumentException(SCHEMA_GENERATION + "=" + SettingsReader.settingName(schemaGeneration)
                    + " needs a pool of two connections or more (Flyway holds one for its history table while it"
                    + " migrates on another): " + POOL_SIZE + "=" + pool.size() + " and " + POOL_MAX_OVERFLOW + "="
                    + pool.maxOverflow() + " allow " + (pool.size() + pool.maxOverflow()));
        }
        if (createDatabase && (url.isPresent() || dataSource.isPresent())) {
            throw new IllegalArgumentException(CREATE_DATABASE + "=true needs database.host, database.port and "
                    + "database.schema; it cannot be combined with " + URL + " or " + DATASOURCE);
        }
    }

    /** {@code given} in lower case, if it is one of {@link #CHARSETS} in any case. */
    private static String knownCharset(String given) {
        String charset = Checks.given(CHARSET, given).toLowerCase(Locale.ROOT);
        if (!CHARSETS.containsKey(charset)) {
            throw SettingsReader.invalid(CHARSET, given, "one of " + new TreeSet<>(CHARSETS.keySet()));
        }
        return charset;
    }

    private static void checkUrl(DatabaseType type, String url) {
        if (!url.startsWith(type.urlPrefix())) {
            throw SettingsReader.invalid(URL, redact(url), "a JDBC URL starting with \"" + type.urlPrefix()
                    + "\" for " + TYPE + "=" + SettingsReader.settingName(type));
        }
    }

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
        DROP_AND_CREATE,
        /** Apply the pending Flyway migrations of {@code database.migration.locations}; no table from the entities. */
        MIGRATE,
        /**
         * Apply nothing, but refuse to start while a migration of {@code database.migration.locations}
         * is pending or changed (a Job applies them); no table from the entities.
         */
        VALIDATE;

        /** Whether the schema comes from Flyway's migrations rather than from the entities. */
        public boolean migrates() {
            return this == MIGRATE || this == VALIDATE;
        }
    }

    /** What the ids of {@link PrimaryKeys#GENERATOR} are. */
    public enum PkMode {
        /** A {@code BIGINT} identity column: the database numbers the rows (default). */
        AUTOINCREMENT,
        /** 64-bit snowflake ids made by the application before the insert ({@code dev.dblayer.snowflake}). */
        SNOWFLAKE
    }

    /**
     * The pool settings (see {@code docs/configuration.md} for how each maps onto HikariCP), checked
     * when built like {@link DatabaseSettings}.
     *
     * @param size        {@code database.pool.size}: connections kept open, 1 to 1000, default
     *                    {@value DatabaseSettings#DEFAULT_POOL_SIZE}
     * @param maxOverflow {@code database.pool.max-overflow}: extra connections under load, 0 to 1000,
     *                    default {@value DatabaseSettings#DEFAULT_POOL_MAX_OVERFLOW}
     * @param timeout     {@code database.pool.timeout}: wait for a free connection, at least 250 ms,
     *                    default {@link DatabaseSettings#DEFAULT_POOL_TIMEOUT} (30 s)
     * @param recycle     {@code database.pool.recycle}: retire connections older than this, at least 30 s,
     *                    default {@link DatabaseSettings#DEFAULT_POOL_RECYCLE} (3600 s)
     * @param prePing     {@code database.pool.pre-ping}: validate before handing out, default
     *                    {@value DatabaseSettings#DEFAULT_POOL_PRE_PING}
     */
    public record PoolSettings(int size, int maxOverflow, Duration timeout, Duration recycle, boolean prePing) {

        /** Checks every value; see the class documentation. */
        public PoolSettings {
            Checks.range(POOL_SIZE, size, MIN_POOL_SIZE, MAX_POOL_SIZE);
            Checks.range(POOL_MAX_OVERFLOW, maxOverflow, 0, MAX_POOL_MAX_OVERFLOW);
            Checks.atLeast(POOL_TIMEOUT, timeout, MIN_POOL_TIMEOUT);
            Checks.atLeast(POOL_RECYCLE, recycle, MIN_POOL_RECYCLE);
        }

        /** The most connections the pool opens: {@code size + maxOverflow}. */
        public int maxSize() {
            return size + maxOverflow;
        }
    }

    /**
     * Reads the settings; the constructor checks them. Throws {@link IllegalArgumentException}
     * naming the bad key. Settings that conflict only as configuration (a key beside
     * {@code database.url}, drop-and-create without allow-drop) are refused here. Public for dblayer's
     * own modules that stand above {@code db} and {@code redis} (dev services); applications inject
     * what these settings configure instead.
     */
    public static DatabaseSettings read(SettingsReader config) {
        DatabaseType type = config.choice(TYPE, DEFAULT_TYPE, DatabaseType.class);
        Optional<String> url = config.string(URL);
        if (url.isPresent()) {
            for (String conflicting : new String[] {HOST, PORT, SCHEMA, DATASOURCE}) {
                if (config.isSet(conflicting)) {
                    throw new IllegalArgumentException(URL + " and " + conflicting
                            + " are both set; set either " + URL + " or the separate settings, not both");
                }
            }
        }
        String host = config.string(HOST, DEFAULT_HOST);
        int port = config.integer(PORT, type.defaultPort());
        String user = config.string(USER, type.defaultUser());
        String schema = config.string(SCHEMA, DEFAULT_SCHEMA);
        String database = config.bool(TEST, DEFAULT_TEST) ? schema + TEST_SUFFIX : schema;
        String charset = config.string(CHARSET, DEFAULT_CHARSET);
        Echo echo = config.choice(ECHO, DEFAULT_ECHO, Echo.class);
        boolean poolEcho = config.bool(POOL_ECHO, DEFAULT_POOL_ECHO);

        int size = config.integer(POOL_SIZE, DEFAULT_POOL_SIZE);
        int maxOverflow = config.integer(POOL_MAX_OVERFLOW, DEFAULT_POOL_MAX_OVERFLOW);
        Duration timeout = config.duration(POOL_TIMEOUT, DEFAULT_POOL_TIMEOUT);
        Duration recycle = config.duration(POOL_RECYCLE, DEFAULT_POOL_RECYCLE);
        boolean prePing = config.bool(POOL_PRE_PING, DEFAULT_POOL_PRE_PING);

        SchemaGeneration generation = config.choice(SCHEMA_GENERATION, DEFAULT_SCHEMA_GENERATION,
                SchemaGeneration.class);
        if (generation == SchemaGeneration.DROP_AND_CREATE && !config.bool(ALLOW_DROP, DEFAULT_ALLOW_DROP)) {
            throw new IllegalArgumentException(SCHEMA_GENERATION + "=drop-and-create drops every table of the"
                    + " persistence unit; set " + ALLOW_DROP + "=true as well to allow it");
        }
        Optional<String> dataSource = config.string(DATASOURCE);
        Optional<String> persistenceUnit = config.string(PERSISTENCE_UNIT);
        boolean failFast = config.bool(FAIL_FAST, DEFAULT_FAIL_FAST);
        boolean createDatabase = config.bool(CREATE_DATABASE, DEFAULT_CREATE_DATABASE);
        Duration schemaLockTimeout = config.duration(SCHEMA_GENERATION_LOCK_TIMEOUT, DEFAULT_SCHEMA_LOCK_TIMEOUT);
        PkMode pkMode = config.choice(PK_MODE, DEFAULT_PK_MODE, PkMode.class);
        MigrationSettings migration = MigrationSettings.read(config);
        return config.validated(() -> new DatabaseSettings(type, host, port, user, config.secret(PASSWORD),
                database, charset, echo, poolEcho, new PoolSettings(size, maxOverflow, timeout, recycle, prePing),
                url, dataSource, generation, persistenceUnit, failFast, createDatabase, schemaLockTimeout, pkMode,
                migration));
    }

    /** The name of a data source in {@code database.sources}, reachable through environment variables. */
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final String SOURCE_NAMES_ALLOWED = "names separated by commas, each 1 to 32 lower-case letters,"
            + " digits, - or _ starting with a letter, no two the same once - is read as _ (each name is set as"
            + " database.sources.NAME.* or, in the environment, DATABASE_SOURCES_NAME_*)";
    static final String DEFAULT_REPLICA_POOL_TIMEOUT = "1s";
    static final boolean DEFAULT_REPLICA_FALLBACK = true;
    static final boolean DEFAULT_SOURCE_REQUIRED = true;

    /** The names of {@code database.sources}, in the order given; empty when unset. */
    static List<String> sourceNames(SettingsReader config) {
        Optional<String> given = config.string(SOURCES);
        if (given.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        Set<String> environmentNames = new HashSet<>();
        for (String entry : given.get().split(",", -1)) {
            String name = entry.trim();
            if (!SOURCE_NAME.matcher(name).matches() || !environmentNames.add(name.replace('-', '_'))) {
                throw SettingsReader.invalid(SOURCES, given.get(), SOURCE_NAMES_ALLOWED);
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** Where the keys of source {@code name} are: {@code database.sources.NAME.}. */
    static String sourcePrefix(String name) {
        return SOURCES + "." + name + ".";
    }

    /**
     * The settings of data source {@code name}: each {@code database.sources.NAME.KEY}, or where it is
     * unset the main database's {@code database.KEY}; see docs/databases.md for the keys that never
     * fall back (the URL, the DataSource and the persistence unit; host, port and schema beside an own
     * URL or DataSource; port and credentials beside an own type).
     */
    static DatabaseSettings readSource(SettingsReader config, String name) {
        String prefix = sourcePrefix(name);
        boolean ownUrl = config.isSet(prefix + "url");
        boolean ownDataSource = config.isSet(prefix + "datasource");
        if (!ownUrl && !ownDataSource && !config.isSet(prefix + "host")) {
            throw new IllegalArgumentException("The data source \"" + name + "\" of " + SOURCES + " has no "
                    + prefix + "host, " + prefix + "url or " + prefix + "datasource: set one of them");
        }
        // a source's migrations are its own: db/migration-NAME unless it names its locations (not a
        // folder under db/migration, which Flyway scans with its subfolders for the main database)
        Set<String> ownOnly = new HashSet<>(ownOnly(config, prefix, ownUrl || ownDataSource));
        ownOnly.add(MigrationSettings.LOCATIONS);
        return read(config.overlay("database.", prefix, ownOnly,
                Map.of(MigrationSettings.LOCATIONS, MigrationSettings.DEFAULT_LOCATION + "-" + name)));
    }

    /** {@code database.sources.NAME.required}: whether readiness is DOWN while the source is. */
    static boolean sourceRequired(SettingsReader config, String name) {
        return config.bool(sourcePrefix(name) + "required", DEFAULT_SOURCE_REQUIRED);
    }

    /**
     * The replica's settings when {@code database.replica.host} or {@code database.replica.url} is set:
     * the main database's, with the replica's own keys over them. Schema generation is always
     * {@code none} there, the pool's timeout defaults to {@value #DEFAULT_REPLICA_POOL_TIMEOUT}, and
     * the replica has the main database's type, one host, and no {@code create-database} or
     * {@code fail-fast} of its own.
     */
    static Optional<DatabaseSettings> readReplica(SettingsReader config, DatabaseSettings main) {
        String prefix = REPLICA + ".";
        boolean ownUrl = config.isSet(prefix + "url");
        if (!ownUrl && !config.isSet(prefix + "host")) {
            return Optional.empty();
        }
        Optional<String> type = config.string(prefix + "type");
        if (type.isPresent() && !SettingsReader.settingName(main.type()).equalsIgnoreCase(type.get())) {
            throw SettingsReader.invalid(prefix + "type", type.get(), "the primary's type, "
                    + SettingsReader.settingName(main.type()) + " (a replica replicates the primary; another"
                    + " database belongs in " + SOURCES + ")");
        }
        Optional<String> host = config.string(prefix + "host");
        if (host.isPresent() && host.get().indexOf(',') >= 0) {
            throw SettingsReader.invalid(prefix + "host", host.get(), "one host (for several replicas, use the"
                    + " service that balances them, such as CloudNativePG's -ro service)");
        }
        for (String own : new String[] {"datasource", "schema-generation", "create-database", "fail-fast"}) {
            if (config.isSet(prefix + own)) {
                throw new IllegalArgumentException(prefix + own + " is set, but a replica takes no " + own
                        + " of its own; remove it");
            }
        }
        Set<String> ownOnly = new HashSet<>(ownOnly(config, prefix, ownUrl));
        ownOnly.add(POOL_TIMEOUT);
        return Optional.of(read(config.overlay("database.", prefix, ownOnly, Map.of(
                SCHEMA_GENERATION, "none", CREATE_DATABASE, "false", FAIL_FAST, "false",
                POOL_TIMEOUT, DEFAULT_REPLICA_POOL_TIMEOUT))));
    }

    /** {@code database.replica.fallback}: whether reads go to the primary while the replica is down. */
    static boolean replicaFallback(SettingsReader config) {
        return config.bool(REPLICA + ".fallback", DEFAULT_REPLICA_FALLBACK);
    }

    /** The keys that a source or replica under {@code prefix} never takes from the main database. */
    private static Set<String> ownOnly(SettingsReader config, String prefix, boolean ownTarget) {
        Set<String> ownOnly = new HashSet<>(Set.of(URL, DATASOURCE, PERSISTENCE_UNIT));
        if (ownTarget) {
            ownOnly.addAll(Set.of(HOST, PORT, SCHEMA, TEST, CREATE_DATABASE));
        }
        if (config.isSet(prefix + "type")) {
            ownOnly.addAll(Set.of(PORT, USER, PASSWORD));
        }
        return ownOnly;
    }

    /**
     * The JDBC URL: {@code database.url} when set, otherwise built from host, port and database.
     * With several hosts, PostgreSQL's URL asks for the primary ({@value #POSTGRESQL_PRIMARY}) and
     * Connector/J's for failover connections that take writes ({@value #MYSQL_FAILOVER}).
     */
    public String jdbcUrl() {
        if (url.isPresent()) {
            return url.get();
        }
        String base = serverUrl(database);
        return switch (type) {
            case POSTGRESQL -> base;
            case MYSQL -> base + (base.indexOf('?') < 0 ? "?" : "&") + CHARSETS.get(charset);
        };
    }

    /** The hosts as {@code host:port}: one, or several with {@code database.host=pg1,pg2:5433}. */
    public List<String> hosts() {
        return Hosts.withPorts(HOST, host, port);
    }

    /**
     * {@code jdbc:TYPE://HOST:PORT/NAME}: the server of host and port, database {@code name}, with
     * the parameters that choose among several hosts.
     */
    String serverUrl(String name) {
        List<String> hosts = hosts();
        String base = type.urlPrefix() + "//" + String.join(",", hosts) + "/" + name;
        if (hosts.size() == 1) {
            return base;
        }
        return base + "?" + switch (type) {
            case POSTGRESQL -> POSTGRESQL_PRIMARY;
            case MYSQL -> MYSQL_FAILOVER;
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
                + ", pool=" + pool + ", schemaGeneration=" + SettingsReader.settingName(schemaGeneration)
                + ", pkMode=" + SettingsReader.settingName(pkMode) + ", migration=" + migration + "]";
    }
}
