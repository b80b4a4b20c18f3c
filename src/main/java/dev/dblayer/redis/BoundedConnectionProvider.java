package dev.dblayer.redis;

import java.util.NoSuchElementException;

import org.apache.commons.pool2.PooledObjectFactory;

import dev.dblayer.internal.PoolEvents;
import dev.dblayer.internal.SettingsReader;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * Jedis's pooled connection provider, whose error when no connection is free within
 * {@code redis.pool-timeout} names the two settings to look at: Jedis says only "Could not get a
 * resource from the pool".
 */
final class BoundedConnectionProvider extends PooledConnectionProvider {

    private final RedisSettings.PoolSettings pool;
    private final PoolEvents events;

    BoundedConnectionProvider(PooledObjectFactory<Connection> connections, ConnectionPoolConfig config,
            RedisSettings.PoolSettings pool) {
        this(connections, config, pool, PoolEvents.NONE);
    }

    /** Reports each borrower's wait, and each that timed out, to {@code events}. */
    BoundedConnectionProvider(PooledObjectFactory<Connection> connections, ConnectionPoolConfig config,
            RedisSettings.PoolSettings pool, PoolEvents events) {
        super(connections, config);
        this.pool = pool;
        this.events = events;
    }

    @Override
    public Connection getConnection() {
        long start = System.nanoTime();
        try {
            Connection connection = super.getConnection();
            events.waited(System.nanoTime() - start);
            return connection;
        } catch (JedisException e) {
            throw explained(e, start);
        }
    }

    @Override
    public Connection getConnection(CommandArguments args) {
        long start = System.nanoTime();
        try {
            Connection connection = super.getConnection(args);
            events.waited(System.nanoTime() - start);
            return connection;
        } catch (JedisException e) {
            throw explained(e, start);
        }
    }

    /** commons-pool2 reports the wait running out as NoSuchElementException; other failures pass unchanged. */
    private JedisException explained(JedisException e, long start) {
        if (!(e.getCause() instanceof NoSuchElementException)) {
            return e;
        }
        events.waited(System.nanoTime() - start);
        events.timedOut();
        return new JedisException("No free Redis connection within " + RedisSettings.POOL_TIMEOUT + "="
                + SettingsReader.format(pool.poolTimeout()) + ": all " + RedisSettings.MAX_CONNECTIONS + "="
                + pool.maxConnections() + " are in use", e);
    }
}
