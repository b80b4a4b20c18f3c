package dev.dblayer.snowflake;

import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseSettings;
import dev.dblayer.db.PrimaryKeyGenerator;
import dev.dblayer.internal.Lifecycle;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.redis.Redis;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;

/**
 * The application's snowflake ids: 64-bit, increasing per node, unique across every node that
 * shares the Redis lease space (see {@link SnowflakeId} for the layout).
 * <pre>{@code
 * @Inject Snowflake ids;
 * long id = ids.next();
 * SnowflakeId parts = ids.parse(id);   // time, datacenter, worker, sequence
 * }</pre>
 * Entities get them through {@code @GeneratedValue(generator = PrimaryKeys.GENERATOR)} with
 * {@code database.pk-mode=snowflake}.
 *
 * <p>The node id comes from {@code snowflake.datacenter-id} and {@code snowflake.worker-id}, or,
 * without them, from a lease on a free pair in Redis, renewed by a heartbeat and released when the
 * application stops; ids stop (with an {@link IllegalStateException}) while no lease is surely held.
 * Started when the application starts if {@code database.pk-mode=snowflake}, otherwise on first use.
 * Thread-safe.
 */
@ApplicationScoped
public class Snowflake implements PrimaryKeyGenerator {

    private static final Logger LOG = Logger.getLogger(Snowflake.class.getName());

    private final Config config;
    private final Redis redis;
    private volatile Started started;
    private final LongAdder issued = new LongAdder();
    private boolean closed;

    private record Started(SnowflakeSettings settings, SnowflakeGenerator generator, LeasedNode lease) {
    }

    /** For CDI's proxy. */
    protected Snowflake() {
        this.config = null;
        this.redis = null;
    }

    @Inject
    Snowflake(Config config, Redis redis) {
        this.config = config;
        this.redis = redis;
    }

    /**
     * A generator outside CDI (a batch job, a command-line tool, a benchmark) with a fixed node id;
     * it needs no Redis. Nothing else may issue ids under the same pair.
     *
     * @throws IllegalArgumentException if either id is not from 0 to 31
     */
    public static Snowflake withFixedNode(int datacenterId, int workerId) {
        SnowflakeSettings settings = new SnowflakeSettings(OptionalInt.of(datacenterId), OptionalInt.of(workerId),
                SnowflakeSettings.DEFAULT_REDIS_PREFIX, SnowflakeSettings.DEFAULT_NODE_TTL,
                SnowflakeSettings.DEFAULT_HEARTBEAT_INTERVAL);
        Snowflake snowflake = new Snowflake();
        snowflake.started = start(settings, () -> {
            throw new IllegalStateException("a fixed node id needs no Redis");
        });
        return snowflake;
    }

    void onStart(@Observes @Priority(Lifecycle.SNOWFLAKE_START) @Initialized(ApplicationScoped.class)
            Object applicationStarted, Database database) {
        if (database.settings().pkMode() == DatabaseSettings.PkMode.SNOWFLAKE) {
            start();
        }
    }

    /** Reads the settings and takes the node id; idempotent. */
    synchronized void start() {
        if (closed) {
            throw new IllegalStateException("dblayer's Snowflake is closed: the application is stopping");
        }
        if (started == null) {
            // a lambda, not redis::client: a fixed node id never touches Redis
            started = start(SnowflakeSettings.read(SettingsReader.of(config)), () -> redis.client());
        }
    }

    /** Starts on {@code settings}, leasing through {@code client} when the node id is not fixed. */
    private static Started start(SnowflakeSettings settings, java.util.function.Supplier<? extends UnifiedJedis> client) {
        if (settings.fixedNode()) {
            NodeId node = new NodeId(settings.datacenterId().getAsInt(), settings.workerId().getAsInt());
            LOG.info(() -> "dblayer: snowflake ids with the fixed node id " + node);
            return new Started(settings, new SnowflakeGenerator(() -> node, SnowflakeGenerator.Clock.SYSTEM), null);
        }
        LeasedNode lease = new LeasedNode(new NodeLease(client.get(), settings, token()), settings);
        lease.start();
        return new Started(settings, new SnowflakeGenerator(lease, SnowflakeGenerator.Clock.SYSTEM), lease);
    }

    /**
     * A new id.
     *
     * @throws IllegalStateException when no id can be issued safely: no node id lease held (Redis
     *     unreachable for longer than {@code snowflake.node-ttl}), or the clock went back more than 10 s
     */
    @Override
    public long next() {
        long id = started().generator().next();
        issued.increment();
        return id;
    }

    /** Ids issued so far. */
    long issued() {
        return issued.sum();
    }

    /** Renewals of the node id lease so far; 0 with a fixed node id or before the first id. */
    long renewals() {
        Started at = started;
        return at == null || at.lease() == null ? 0 : at.lease().renewals();
    }

    /** Takes {@code id} apart; the same as {@link SnowflakeId#parse(long)}. */
    public SnowflakeId parse(long id) {
        return SnowflakeId.parse(id);
    }

    /** The validated settings. */
    public SnowflakeSettings settings() {
        return started().settings();
    }

    void onStop(@Observes @Priority(Lifecycle.SNOWFLAKE_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    /** Stops the heartbeat and releases the lease, while Redis is still open. Idempotent. */
    @PreDestroy
    synchronized void close() {
        closed = true;
        Started at = started;
        started = null;
        if (at != null && at.lease() != null) {
            at.lease().close();
        }
    }

    private Started started() {
        Started at = started;
        if (at == null) {
            start();
            at = started;
        }
        return at;
    }

    /** What a lease holds, so that an operator can tell whose it is: the pod's name, the process, and a nonce. */
    private static String token() {
        String host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID();
    }
}
