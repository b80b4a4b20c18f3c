package dev.dblayer.redis;

import java.util.NoSuchElementException;

import org.apache.commons.pool2.PooledObjectFactory;

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

    BoundedConnectionProvider(PooledObjectFactory<Connection> connections, ConnectionPoolConfig config,
            RedisSettings.PoolSettings pool) {
        super(connections, config);
        this.pool = pool;
    }

    @Override
    public Connection getConnection() {
        try {
            return super.getConnection();
        } catch (JedisException e) {
            throw explained(e);
        }
    }

    @Override
    public Connection getConnection(CommandArguments args) {
        try {
            return super.getConnection(args);
        } catch (JedisException e) {
            throw explained(e);
        }
    }

    /** commons-pool2 reports the wait running out as NoSuchElementException; other failures pass unchanged. */
    private JedisException explained(JedisException e) {
        if (!(e.getCause() instanceof NoSuchElementException)) {
            return e;
        }
        return new JedisException("No free Redis connection within " + RedisSettings.POOL_TIMEOUT + "="
                + SettingsReader.format(pool.poolTimeout()) + ": all " + RedisSettings.MAX_CONNECTIONS + "="
                + pool.maxConnections() + " are in use", e);
    }
}
