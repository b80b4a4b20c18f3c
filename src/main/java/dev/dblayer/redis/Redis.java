package dev.dblayer.redis;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;

import dev.dblayer.config.Errors;
import dev.dblayer.config.Lifecycle;
import dev.dblayer.config.SettingsReader;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The application's Redis client: its settings and the one pooled Jedis {@link RedisClient}, which
 * it also makes injectable:
 * <pre>{@code
 * @Inject RedisClient redis;
 * redis.set("fba:captcha:" + id, code, SetParams.setParams().ex(300));
 * }</pre>
 *
 * <p>Started when the application starts: the settings are read and validated (an invalid value
 * fails the deployment), the client is built and Redis is PINGed. A failed PING is logged with one
 * of three messages (timeout, refused credentials, anything else) and the application keeps
 * running, unless {@code redis.fail-fast=true}. Closed, with its pool, when the application stops.
 *
 * <p>{@code RedisClient} has no constructor a CDI proxy could use, so it is produced in the
 * {@code @Singleton} pseudo-scope; this bean owns it and closes it. Thread-safe.
 */
@ApplicationScoped
public class Redis {

    private static final Logger LOG = Logger.getLogger(Redis.class.getName());

    private final Config config;
    private RedisSettings settings;
    private volatile RedisClient client;

    /** For CDI's proxy. */
    protected Redis() {
        this.config = null;
    }

    @Inject
    Redis(Config config) {
        this.config = config;
    }

    void onStart(@Observes @Priority(Lifecycle.REDIS_START) @Initialized(ApplicationScoped.class)
            Object applicationStarted) {
        start();
    }

    synchronized void start() {
        if (settings == null) {
            start(RedisSettings.read(SettingsReader.of(config)));
        }
    }

    /** Builds the client from {@code read} and PINGs; separate from {@link #start()} for tests without CDI. */
    synchronized void start(RedisSettings read) {
        RedisClient created = RedisClients.create(read);
        settings = read;
        client = created;
        LOG.info(() -> "dblayer: Redis client for " + read.describe() + ", pool of at most "
                + read.pool().maxConnections() + " connections");
        verify(created, read);
    }

    /** PINGs once; see the class documentation for what happens when that fails. */
    private void verify(RedisClient created, RedisSettings read) {
        try {
            created.ping();
            LOG.info(() -> "dblayer: Redis at " + read.address() + " answered PING");
        } catch (RuntimeException e) {
            String message = StartupFailure.message(read, e);
            if (read.failFast()) {
                close();
                throw new IllegalStateException(message + " [" + RedisSettings.FAIL_FAST + "=true]", e);
            }
            LOG.log(Level.WARNING, "dblayer: " + message + "; the application starts anyway ("
                    + RedisSettings.FAIL_FAST + "=false) and each command retries the connection", e);
        }
    }

    /** The validated settings. */
    public RedisSettings settings() {
        ensureStarted();
        return settings;
    }

    /**
     * The pooled client; never null. Thread-safe: each command borrows a pooled connection.
     *
     * @throws IllegalStateException after the application has stopped
     */
    public RedisClient client() {
        ensureStarted();
        if (client == null) {
            throw new IllegalStateException("The Redis client is closed: the application is stopping");
        }
        return client;
    }

    /**
     * Makes {@code @Inject RedisClient} (and {@code UnifiedJedis}) work. No disposer: this bean
     * opened the client and closes it in {@link #close()}.
     */
    @Produces
    @Singleton
    @Typed({RedisClient.class, UnifiedJedis.class})
    RedisClient produceClient() {
        return client();
    }

    /**
     * A new connection outside the pool, with {@code timeout} as its connect and socket timeout and
     * otherwise the client's settings (user, password, database, TLS). For probes that must not
     * wait for a pooled connection; the caller closes it.
     */
    public Jedis openUnpooled(Duration timeout) {
        RedisSettings current = settings();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        JedisClientConfig base = RedisClients.clientConfig(current);
        JedisClientConfig config = DefaultJedisClientConfig.builder()
                .from(base)
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .build();
        return new Jedis(new HostAndPort(current.host(), current.port()), config);
    }

    /**
     * Why a Redis call failed, in a few words fit for a health check or a log: {@code timeout},
     * {@code authentication}, {@code refused} or {@code error}, then the root cause. Never contains
     * a password.
     */
    public static String describeFailure(Throwable error) {
        String kind = switch (StartupFailure.classify(error)) {
            case TIMEOUT -> "timeout";
            case AUTHENTICATION -> "authentication";
            case OTHER -> refused(error) ? "refused" : "error";
        };
        return kind + ": " + Errors.rootMessage(error);
    }

    /** Jedis keeps the connect failure as a suppressed exception, not always as the cause. */
    private static boolean refused(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (refused(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    void onStop(@Observes @Priority(Lifecycle.REDIS_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            try {
                client.close();
                LOG.info(() -> "dblayer: Redis client and its pool closed");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dblayer: closing the Redis client failed", e);
            } finally {
                client = null;
            }
        }
    }

    private synchronized void ensureStarted() {
        if (settings == null) {
            start();
        }
    }
}
