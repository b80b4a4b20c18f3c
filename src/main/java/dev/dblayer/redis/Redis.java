package dev.dblayer.redis;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.commons.pool2.impl.GenericObjectPool;
import org.eclipse.microprofile.config.Config;

import dev.dblayer.internal.Lifecycle;
import dev.dblayer.internal.PoolEvents;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.internal.Tracing;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The application's Redis client: its settings and the one pooled Jedis client, which it also
 * makes injectable as {@link UnifiedJedis} in every mode, and as the mode's own type
 * ({@link RedisClient}, {@link RedisSentinelClient}, {@link RedisClusterClient}):
 * <pre>{@code
 * @Inject UnifiedJedis redis;
 * redis.set("fba:captcha:" + id, code, SetParams.setParams().ex(300));
 * }</pre>
 * An injection point of another mode's type fails the deployment ({@link RedisInjectionCheck}).
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

    /** How often {@link #client()} tries again to build a client whose first attempt failed. */
    private static final long RETRY_NANOS = 1_000_000_000L;

    private final Config config;
    private final RedisInjectionCheck injections;
    private RedisSettings settings;
    private volatile UnifiedJedis client;
    /** Forwards the standalone pool's events to whoever measures it ({@link #listen}). */
    private final PoolEventsRelay poolEvents = new PoolEventsRelay();
    private volatile Tracing tracing = Tracing.NONE;
    private RuntimeException buildFailure;
    private long lastAttemptNanos;
    private boolean closed;

    /** For CDI's proxy (and tests that call {@link #start(RedisSettings)}): no injection points to check. */
    protected Redis() {
        this.config = null;
        this.injections = new RedisInjectionCheck();
    }

    /** Outside a container (tests): no injection points to check. */
    Redis(Config config) {
        this(config, new RedisInjectionCheck());
    }

    /**
     * In the container. The extension is looked up, not injected: CDI gives an extension the
     * application scope, so injecting it would need a proxy, and a final class has none (Weld
     * refuses the deployment, WELD-001437); {@code getExtension} returns the instance itself.
     */
    @Inject
    Redis(Config config, BeanManager beans) {
        this(config, beans.getExtension(RedisInjectionCheck.class));
    }

    private Redis(Config config, RedisInjectionCheck injections) {
        this.config = config;
        this.injections = injections;
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
        injections.check(read.mode());
        settings = read;
        UnifiedJedis created;
        try {
            created = build();
        } catch (RuntimeException e) {
            // Sentinel and Cluster clients ask their nodes when built: they may all be down.
            fail(read, e);
            return;
        }
        LOG.info(() -> "dblayer: Redis client for " + read.describe() + ", pool of at most "
                + read.pool().maxConnections() + " connections" + (read.mode() == RedisTopology.Mode.CLUSTER
                        ? " per node" : ""));
        verify(created, read);
    }

    private UnifiedJedis build() {
        lastAttemptNanos = System.nanoTime();
        try {
            UnifiedJedis created = RedisClients.create(settings, poolEvents);
            client = created;
            buildFailure = null;
            return created;
        } catch (RuntimeException e) {
            buildFailure = e;
            throw e;
        }
    }

    /** PINGs once; see the class documentation for what happens when that fails. */
    private void verify(UnifiedJedis created, RedisSettings read) {
        try {
            created.ping();
            LOG.info(() -> "dblayer: Redis at " + read.address() + " answered PING");
        } catch (RuntimeException e) {
            fail(read, e);
        }
    }

    private void fail(RedisSettings read, RuntimeException e) {
        String message = RedisFailures.message(read, e);
        if (read.failFast()) {
            close();
            throw new IllegalStateException(message + " [" + RedisSettings.FAIL_FAST + "=true]", e);
        }
        LOG.log(Level.WARNING, "dblayer: " + message + "; the application starts anyway ("
                + RedisSettings.FAIL_FAST + "=false) and each command retries the connection", e);
    }

    /** The validated settings. */
    public RedisSettings settings() {
        ensureStarted();
        return settings;
    }

    /**
     * The pooled client of the configured mode, as the type all three share; never null.
     * Thread-safe: each command borrows a pooled connection. A Sentinel or Cluster client that could
     * not be built at startup (no node answered) is built on a later call, at most once a second.
     *
     * @throws IllegalStateException after the application has stopped, or while the client cannot be built
     */
    public synchronized UnifiedJedis client() {
        ensureStarted();
        if (client == null && buildFailure != null && !closed) {
            if (System.nanoTime() - lastAttemptNanos < RETRY_NANOS) {
                throw unavailable(buildFailure);
            }
            try {
                build();
            } catch (RuntimeException e) {
                throw unavailable(e);
            }
        }
        if (client == null) {
            throw new IllegalStateException("The Redis client is closed: the application is stopping");
        }
        return client;
    }

    private IllegalStateException unavailable(RuntimeException cause) {
        return new IllegalStateException("The Redis client for " + settings.describe() + " cannot be built: "
                + RedisFailures.message(settings, cause), cause);
    }

    /** Makes {@code @Inject UnifiedJedis} work in every mode. No disposer: {@link #close()} closes it. */
    @Produces
    @Singleton
    @Typed(UnifiedJedis.class)
    UnifiedJedis produceClient() {
        return client();
    }

    /** {@code @Inject RedisClient}, in standalone mode only. */
    @Produces
    @Singleton
    @Typed(RedisClient.class)
    RedisClient produceStandaloneClient() {
        return RedisInjectionCheck.as(RedisClient.class, client(), settings.mode());
    }

    /** {@code @Inject RedisSentinelClient}, in Sentinel mode only. */
    @Produces
    @Singleton
    @Typed(RedisSentinelClient.class)
    RedisSentinelClient produceSentinelClient() {
        return RedisInjectionCheck.as(RedisSentinelClient.class, client(), settings.mode());
    }

    /** {@code @Inject RedisClusterClient}, in Cluster mode only. */
    @Produces
    @Singleton
    @Typed(RedisClusterClient.class)
    RedisClusterClient produceClusterClient() {
        return RedisInjectionCheck.as(RedisClusterClient.class, client(), settings.mode());
    }

    void onStop(@Observes @Priority(Lifecycle.REDIS_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
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

    /** Where the spans of {@link RedisKeys}' helpers go ({@code dev.dblayer.metrics}); none by default. */
    Tracing tracing() {
        return tracing;
    }

    void trace(Tracing spans) {
        this.tracing = spans;
    }

    /** Reports the standalone pool's borrows, returns, new connections and timeouts to {@code events}. */
    void listen(PoolEvents events) {
        poolEvents.target = events;
    }

    /**
     * The client's connection pools now: one in standalone and Sentinel mode (the primary's), one per
     * primary in Cluster mode; none before the client is built.
     */
    List<GenericObjectPool<Connection>> pools() {
        UnifiedJedis current = client;
        if (current instanceof RedisClient standalone) {
            return List.of(standalone.getPool());
        }
        if (current instanceof RedisSentinelClient sentinel) {
            return List.copyOf(sentinel.getPrimaryNodesConnectionMap().values());
        }
        if (current instanceof RedisClusterClient cluster) {
            return List.copyOf(cluster.getClusterNodes().values());
        }
        return List.of();
    }

    /** Passes events on to the listener of the moment; none at first. */
    private static final class PoolEventsRelay implements PoolEvents {

        volatile PoolEvents target = PoolEvents.NONE;

        @Override
        public void waited(long nanos) {
            target.waited(nanos);
        }

        @Override
        public void used(long nanos) {
            target.used(nanos);
        }

        @Override
        public void created(long nanos) {
            target.created(nanos);
        }

        @Override
        public void timedOut() {
            target.timedOut();
        }
    }
}
