package dev.dblayer.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.dblayer.internal.Checks;
import dev.dblayer.internal.Hosts;
import dev.dblayer.internal.SettingsReader;

/**
 * The {@code redis.*} settings, read once at startup. Immutable and thread-safe; valid however
 * built, since the constructors check every value and throw {@link IllegalArgumentException}
 * naming the key, the value and what is allowed. {@link #toString()} never shows a password.
 *
 * <p>See {@code docs/redis.md} for every key; each default is the constant named here.
 *
 * @param host      {@code redis.host}: default {@value #DEFAULT_HOST}; a host name or IP address
 *                  (IPv6 with or without brackets), checked by {@link Hosts}
 * @param port      {@code redis.port}: 1 to 65535, default {@value #DEFAULT_PORT}
 * @param username  {@code redis.username}: the ACL user; empty means the default user
 * @param password  {@code redis.password}: default empty (no AUTH); never logged
 * @param database  {@code redis.database}: the database index, from 0, default {@value #DEFAULT_DATABASE};
 *                  the server rejects an index beyond its {@code databases} setting (16 unless configured)
 * @param timeout   {@code redis.timeout}: connect and socket (read) timeout, 1 ms to {@link #MAX_TIMEOUT},
 *                  default {@link #DEFAULT_TIMEOUT} (5 s)
 * @param pool      the pool settings
 * @param keepalive {@code redis.keepalive}: TCP keepalive on each connection, default {@value #DEFAULT_KEEPALIVE}
 * @param tls       the TLS settings
 * @param failFast  {@code redis.fail-fast}: fail the deployment when the startup PING fails,
 *                  default {@value #DEFAULT_FAIL_FAST}
 * @param required  {@code redis.required}: whether readiness depends on Redis, default {@value #DEFAULT_REQUIRED}
 * @param topology  standalone (default), Sentinel or Cluster; in standalone mode {@code host} and {@code port}
 *                  name the server, otherwise they are unused ({@value #DEFAULT_HOST}:{@value #DEFAULT_PORT});
 *                  Cluster mode needs {@code database} 0
 */
public record RedisSettings(
        String host,
        int port,
        Optional<String> username,
        String password,
        int database,
        Duration timeout,
        PoolSettings pool,
        boolean keepalive,
        TlsSettings tls,
        boolean failFast,
        boolean required,
        RedisTopology topology) {

    public static final String HOST = "redis.host";
    public static final String PORT = "redis.port";
    public static final String USERNAME = "redis.username";
    public static final String PASSWORD = "redis.password";
    public static final String DATABASE = "redis.database";
    public static final String TIMEOUT = "redis.timeout";
    public static final String MAX_CONNECTIONS = "redis.max-connections";
    public static final String POOL_TIMEOUT = "redis.pool-timeout";
    public static final String KEEPALIVE = "redis.keepalive";
    public static final String HEALTH_CHECK_INTERVAL = "redis.health-check-interval";
    public static final String SSL = "redis.ssl";
    public static final String TRUST_STORE = "redis.ssl.trust-store";
    public static final String TRUST_STORE_PASSWORD = "redis.ssl.trust-store-password";
    public static final String TRUST_STORE_TYPE = "redis.ssl.trust-store-type";
    public static final String URL = "redis.url";
    public static final String FAIL_FAST = "redis.fail-fast";
    public static final String REQUIRED = "redis.required";

    static final String DEFAULT_HOST = "localhost";
    static final int DEFAULT_PORT = RedisUrl.DEFAULT_PORT;
    static final int DEFAULT_DATABASE = 0;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    /** Jedis takes timeouts as int milliseconds. */
    static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);
    static final int DEFAULT_MAX_CONNECTIONS = 100;
    static final int MAX_MAX_CONNECTIONS = 100_000;
    static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(20);
    static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(30);
    static final Duration MIN_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(1);
    static final boolean DEFAULT_KEEPALIVE = true;
    static final boolean DEFAULT_SSL = false;
    static final String DEFAULT_TRUST_STORE_TYPE = "PKCS12";
    static final boolean DEFAULT_FAIL_FAST = false;
    static final boolean DEFAULT_REQUIRED = true;

    private static final Pattern STORE_TYPE = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** Checks every value; see the class documentation. Passwords are never checked nor shown. */
    public RedisSettings {
        Hosts.check(HOST, host);
        Hosts.port(PORT, port);
        Checks.given(USERNAME, username);
        Checks.given(PASSWORD, password);
        Checks.range(DATABASE, database, 0, Integer.MAX_VALUE);
        Checks.within(TIMEOUT, timeout, MIN_TIMEOUT, MAX_TIMEOUT);
        Checks.given("redis pool settings", pool);
        Checks.given("redis TLS settings", tls);
        Checks.given("redis topology", topology);
        if (topology.mode() == RedisTopology.Mode.CLUSTER && database != 0) {
            throw SettingsReader.invalid(DATABASE, database, "0 in Cluster mode (" + RedisTopology.CLUSTER_NODES
                    + " is set): a cluster has only database 0");
        }
    }

    /** Which deployment of Redis these settings reach. */
    public RedisTopology.Mode mode() {
        return topology.mode();
    }

    /**
     * How the connection pool (Apache commons-pool2) behaves; checked when built.
     *
     * @param maxConnections      {@code redis.max-connections}: most connections open at once, 1 to 100000,
     *                            default {@value RedisSettings#DEFAULT_MAX_CONNECTIONS}
     * @param poolTimeout         {@code redis.pool-timeout}: wait for a free connection, 0 to
     *                            {@link RedisSettings#MAX_TIMEOUT}, default {@link RedisSettings#DEFAULT_POOL_TIMEOUT} (20 s)
     * @param healthCheckInterval {@code redis.health-check-interval}: idle connections are tested
     *                            with PING this often, at least 1 s, default
     *                            {@link RedisSettings#DEFAULT_HEALTH_CHECK_INTERVAL} (30 s)
     */
    public record PoolSettings(int maxConnections, Duration poolTimeout, Duration healthCheckInterval) {

        /** Checks every value; see the class documentation. */
        public PoolSettings {
            Checks.range(MAX_CONNECTIONS, maxConnections, 1, MAX_MAX_CONNECTIONS);
            Checks.within(POOL_TIMEOUT, poolTimeout, Duration.ZERO, MAX_TIMEOUT);
            Checks.atLeast(HEALTH_CHECK_INTERVAL, healthCheckInterval, MIN_HEALTH_CHECK_INTERVAL);
        }
    }

    /**
     * TLS; checked when built. {@link #toString()} never shows the trust store password.
     *
     * @param enabled            {@code redis.ssl} (or a {@code rediss://} URL): default {@value RedisSettings#DEFAULT_SSL}
     * @param trustStore         {@code redis.ssl.trust-store}: path to a trust store with the CA that
     *                           signed the server's certificate; empty means the JVM's default trust;
     *                           only with TLS enabled
     * @param trustStorePassword {@code redis.ssl.trust-store-password}: default empty; never logged
     * @param trustStoreType     {@code redis.ssl.trust-store-type}: {@value RedisSettings#DEFAULT_TRUST_STORE_TYPE}
     *                           (default) or JKS
     */
    public record TlsSettings(boolean enabled, Optional<String> trustStore, String trustStorePassword,
            String trustStoreType) {

        /** Checks every value; see the class documentation. */
        public TlsSettings {
            if (Checks.given(TRUST_STORE, trustStore).isPresent() && !enabled) {
                throw new IllegalArgumentException(TRUST_STORE + " is set but TLS is off; set " + SSL
                        + "=true (or use a rediss:// " + URL + ")");
            }
            Checks.given(TRUST_STORE_PASSWORD, trustStorePassword);
            Checks.matching(TRUST_STORE_TYPE, trustStoreType, STORE_TYPE, "a KeyStore type such as PKCS12 or JKS");
        }

        @Override
        public String toString() {
            return "TlsSettings[enabled=" + enabled + ", trustStore=" + trustStore.orElse("(JVM default)")
                    + ", trustStorePassword=" + (trustStorePassword.isEmpty() ? "(empty)" : "(set)")
                    + ", trustStoreType=" + trustStoreType + "]";
        }
    }

    /**
     * Reads the settings; the constructors check them. Throws {@link IllegalArgumentException}
     * naming the bad key. Settings that conflict only as configuration (a key beside
     * {@code redis.url}) are refused here. Public for dblayer's
     * own modules that stand above {@code db} and {@code redis} (dev services); applications inject
     * what these settings configure instead.
     */
    public static RedisSettings read(SettingsReader config) {
        RedisTopology topology = RedisTopology.read(config);
        if (topology.mode() != RedisTopology.Mode.STANDALONE) {
            rejectServerKeys(config, topology);
        }
        Optional<RedisUrl> url = config.string(URL).map(text -> RedisUrl.parse(URL, text));
        if (url.isPresent()) {
            rejectConflicts(config, url.get());
        }
        String host = url.map(RedisUrl::host).orElseGet(() -> config.string(HOST, DEFAULT_HOST));
        int port = url.isPresent() ? url.get().port() : config.integer(PORT, DEFAULT_PORT);
        Optional<String> username = url.flatMap(RedisUrl::user).or(() -> config.string(USERNAME));
        String password = url.flatMap(RedisUrl::password).orElseGet(() -> config.secret(PASSWORD));
        int database = url.isPresent() && url.get().database().isPresent()
                ? url.get().database().getAsInt()
                : config.integer(DATABASE, DEFAULT_DATABASE);
        Duration timeout = config.duration(TIMEOUT, DEFAULT_TIMEOUT);
        int maxConnections = config.integer(MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS);
        Duration poolTimeout = config.duration(POOL_TIMEOUT, DEFAULT_POOL_TIMEOUT);
        Duration healthCheckInterval = config.duration(HEALTH_CHECK_INTERVAL, DEFAULT_HEALTH_CHECK_INTERVAL);
        boolean keepalive = config.bool(KEEPALIVE, DEFAULT_KEEPALIVE);
        boolean ssl = url.isPresent() ? url.get().ssl() : config.bool(SSL, DEFAULT_SSL);
        Optional<String> trustStore = config.string(TRUST_STORE);
        String trustStoreType = config.string(TRUST_STORE_TYPE, DEFAULT_TRUST_STORE_TYPE);
        boolean failFast = config.bool(FAIL_FAST, DEFAULT_FAIL_FAST);
        boolean required = config.bool(REQUIRED, DEFAULT_REQUIRED);
        return config.validated(() -> new RedisSettings(host, port, username, password, database, timeout,
                new PoolSettings(maxConnections, poolTimeout, healthCheckInterval), keepalive,
                new TlsSettings(ssl, trustStore, config.secret(TRUST_STORE_PASSWORD), trustStoreType),
                failFast, required, topology));
    }

    /** Sentinel and Cluster mode find their servers themselves: a server address beside them is ambiguous. */
    private static void rejectServerKeys(SettingsReader config, RedisTopology topology) {
        String modeKey = topology.mode() == RedisTopology.Mode.CLUSTER ? RedisTopology.CLUSTER_NODES
                : RedisTopology.SENTINEL_NODES;
        for (String key : new String[] {URL, HOST, PORT}) {
            if (config.isSet(key)) {
                throw new IllegalArgumentException(modeKey + " and " + key + " are both set; in "
                        + topology.mode().label() + " mode the servers come from " + modeKey + ", remove " + key);
            }
        }
    }

    /** A setting given both in {@code redis.url} and on its own is ambiguous: rejected. */
    private static void rejectConflicts(SettingsReader config, RedisUrl url) {
        for (String key : new String[] {HOST, PORT}) {
            if (config.isSet(key)) {
                throw conflict(key);
            }
        }
        if (url.user().isPresent() && config.isSet(USERNAME)) {
            throw conflict(USERNAME);
        }
        if (url.password().isPresent() && config.isSet(PASSWORD)) {
            throw conflict(PASSWORD);
        }
        if (url.database().isPresent() && config.isSet(DATABASE)) {
            throw conflict(DATABASE);
        }
        if (config.isSet(SSL) && config.bool(SSL, false) != url.ssl()) {
            throw new IllegalArgumentException(SSL + " is " + config.bool(SSL, false) + " but " + URL + " uses "
                    + (url.ssl() ? "rediss://" : "redis://") + "; the URL scheme decides TLS, remove " + SSL);
        }
    }

    private static IllegalArgumentException conflict(String key) {
        return new IllegalArgumentException(URL + " and " + key + " are both set; give it either in "
                + URL + " or as " + key + ", not both");
    }

    /** Where the client connects, for logs and messages: {@code redis://host:port/db} or {@code rediss://...}. */
    public String describe() {
        String scheme = tls.enabled() ? "rediss://" : "redis://";
        return switch (topology.mode()) {
            case STANDALONE -> scheme + address() + "/" + database;
            case SENTINEL -> "sentinel " + scheme + topology.sentinelMaster().orElseThrow() + "/" + database
                    + " via " + nodeList();
            case CLUSTER -> "cluster " + scheme + nodeList();
        };
    }

    private String nodeList() {
        StringBuilder list = new StringBuilder();
        for (RedisTopology.Node node : topology.nodes()) {
            list.append(list.length() == 0 ? "" : ",").append(node);
        }
        return list.toString();
    }

    /**
     * {@code host:port} (an IPv6 host in brackets), as named in the startup messages; in Sentinel
     * mode the master name and the sentinels, in Cluster mode the seeds.
     */
    String address() {
        return switch (topology.mode()) {
            case STANDALONE -> Hosts.withPort(host, port);
            case SENTINEL -> topology.sentinelMaster().orElseThrow() + " via sentinels " + nodeList();
            case CLUSTER -> "cluster " + nodeList();
        };
    }

    @Override
    public String toString() {
        return "RedisSettings[target=" + describe() + ", username=" + username.orElse("(default)")
                + ", password=" + (password.isEmpty() ? "(empty)" : "(set)") + ", timeout="
                + SettingsReader.format(timeout) + ", pool=" + pool + ", keepalive=" + keepalive + ", tls=" + tls
                + ", failFast=" + failFast + ", required=" + required + ", topology=" + topology + "]";
    }
}
