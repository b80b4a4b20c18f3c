package dev.dblayer.redis;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;

import dev.dblayer.internal.Lifecycle;
import dev.dblayer.internal.SettingsReader;
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
            String message = RedisFailures.message(read, e);
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
