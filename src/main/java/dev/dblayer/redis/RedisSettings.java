package dev.dblayer.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.dblayer.config.SettingsReader;

/**
 * The {@code redis.*} settings, read once at startup and validated. Immutable and thread-safe.
 * {@link #toString()} never shows a password.
 *
 * <p>See {@code docs/redis.md} for every key; each default is the constant beside it.
 *
 * @param host      {@code redis.host}: default {@code localhost}
 * @param port      {@code redis.port}: default 6379
 * @param username  {@code redis.username}: the ACL user; empty means the default user
 * @param password  {@code redis.password}: default empty (no AUTH); never logged
 * @param database  {@code redis.database}: the database index, default 0; the server rejects an
 *                  index beyond its {@code databases} setting (16 unless configured)
 * @param timeout   {@code redis.timeout}: connect and socket (read) timeout, default 5 s
 * @param pool      the pool settings
 * @param keepalive {@code redis.keepalive}: TCP keepalive on each connection, default true
 * @param tls       the TLS settings
 * @param failFast  {@code redis.fail-fast}: fail the deployment when the startup PING fails, default false
 * @param required  {@code redis.required}: whether readiness depends on Redis, default true
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
        boolean required) {

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
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final int DEFAULT_MAX_CONNECTIONS = 100;
    static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(20);
    static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(30);
    static final String DEFAULT_TRUST_STORE_TYPE = "PKCS12";

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    private static final Pattern STORE_TYPE = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    /** Jedis takes timeouts as int milliseconds. */
    private static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /**
     * How the connection pool (Apache commons-pool2) behaves.
     *
     * @param maxConnections      {@code redis.max-connections}: most connections open at once, default 100
     * @param poolTimeout         {@code redis.pool-timeout}: wait for a free connection, default 20 s
     * @param healthCheckInterval {@code redis.health-check-interval}: idle connections are tested
     *                            with PING this often, default 30 s
     */
    public record PoolSettings(int maxConnections, Duration poolTimeout, Duration healthCheckInterval) {
    }

    /**
     * TLS. {@link #toString()} never shows the trust store password.
     *
     * @param enabled            {@code redis.ssl} (or a {@code rediss://} URL): default false
     * @param trustStore         {@code redis.ssl.trust-store}: path to a trust store with the CA that
     *                           signed the server's certificate; empty means the JVM's default trust
     * @param trustStorePassword {@code redis.ssl.trust-store-password}: default empty; never logged
     * @param trustStoreType     {@code redis.ssl.trust-store-type}: PKCS12 (default) or JKS
     */
    public record TlsSettings(boolean enabled, Optional<String> trustStore, String trustStorePassword,
            String trustStoreType) {

        @Override
        public String toString() {
            return "TlsSettings[enabled=" + enabled + ", trustStore=" + trustStore.orElse("(JVM default)")
                    + ", trustStorePassword=" + (trustStorePassword.isEmpty() ? "(empty)" : "(set)")
                    + ", trustStoreType=" + trustStoreType + "]";
        }
    }

    /** Reads and validates the settings; throws {@link IllegalArgumentException} naming the bad key. */
    public static RedisSettings read(SettingsReader config) {
        Optional<RedisUrl> url = config.string(URL).map(text -> RedisUrl.parse(URL, text));
        if (url.isPresent()) {
            rejectConflicts(config, url.get());
        }
        String host = url.map(RedisUrl::host)
                .orElseGet(() -> config.matching(HOST, DEFAULT_HOST, HOST_NAME, "a host name or IP address"));
        int port = url.isPresent() ? url.get().port() : config.integer(PORT, DEFAULT_PORT, 1, 65535);
        Optional<String> username = url.flatMap(RedisUrl::user).or(() -> config.string(USERNAME));
        String password = url.flatMap(RedisUrl::password).orElseGet(() -> config.secret(PASSWORD));
        int database = url.isPresent() && url.get().database().isPresent()
                ? url.get().database().getAsInt()
                : config.integer(DATABASE, 0, 0, Integer.MAX_VALUE);
        Duration timeout = config.duration(TIMEOUT, DEFAULT_TIMEOUT, Duration.ofMillis(1), MAX_TIMEOUT);

        PoolSettings pool = new PoolSettings(
                config.integer(MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS, 1, 100_000),
                config.duration(POOL_TIMEOUT, DEFAULT_POOL_TIMEOUT, Duration.ZERO, MAX_TIMEOUT),
                config.duration(HEALTH_CHECK_INTERVAL, DEFAULT_HEALTH_CHECK_INTERVAL, Duration.ofSeconds(1)));

        boolean ssl = url.isPresent() ? url.get().ssl() : config.bool(SSL, false);
        Optional<String> trustStore = config.string(TRUST_STORE);
        if (trustStore.isPresent() && !ssl) {
            throw new IllegalArgumentException(TRUST_STORE + " is set but TLS is off; set " + SSL
                    + "=true (or use a rediss:// " + URL + ")");
        }
        TlsSettings tls = new TlsSettings(ssl, trustStore, config.secret(TRUST_STORE_PASSWORD),
                config.matching(TRUST_STORE_TYPE, DEFAULT_TRUST_STORE_TYPE, STORE_TYPE,
                        "a KeyStore type such as PKCS12 or JKS"));

        return new RedisSettings(host, port, username, password, database, timeout, pool,
                config.bool(KEEPALIVE, true), tls, config.bool(FAIL_FAST, false), config.bool(REQUIRED, true));
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
        String address = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return (tls.enabled() ? "rediss://" : "redis://") + address + ":" + port + "/" + database;
    }

    /** {@code host:port}, as named in the startup messages. */
    String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "RedisSettings[target=" + describe() + ", username=" + username.orElse("(default)")
                + ", password=" + (password.isEmpty() ? "(empty)" : "(set)") + ", timeout="
                + SettingsReader.format(timeout) + ", pool=" + pool + ", keepalive=" + keepalive + ", tls=" + tls
                + ", failFast=" + failFast + ", required=" + required + "]";
    }
}
