package dev.dblayer.redis;

import java.time.Duration;

import org.apache.commons.pool2.PooledObject;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;

/**
 * Jedis's connection factory, with validation (a PING) skipped for connections used within the
 * last {@link #ALIVE_BYPASS}: the pool tests on borrow, so that the first command after a server
 * restart gets a fresh connection, but a busy application should not pay a PING per command.
 * HikariCP does the same (its {@code aliveBypassWindowMs}).
 */
final class IdleCheckingConnectionFactory extends ConnectionFactory {

    static final Duration ALIVE_BYPASS = Duration.ofMillis(500);

    IdleCheckingConnectionFactory(JedisSocketFactory sockets, JedisClientConfig config) {
        super(sockets, config);
    }

    @Override
    public boolean validateObject(PooledObject<Connection> pooled) {
        if (pooled.getIdleDuration().compareTo(ALIVE_BYPASS) < 0) {
            return pooled.getObject().isConnected() && !pooled.getObject().isBroken();
        }
        return super.validateObject(pooled);
    }
}
