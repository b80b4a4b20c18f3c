package dev.dblayer.redis;

import java.time.Duration;
import java.time.Instant;

import org.apache.commons.pool2.PooledObject;

import dev.dblayer.internal.PoolEvents;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;

/**
 * Jedis's connection factory, with validation (a PING) skipped for connections used within the
 * last {@link #ALIVE_BYPASS}: the pool tests on borrow, so that the first command after a server
 * restart gets a fresh connection, but a busy application should not pay a PING per command.
 * HikariCP does the same (its {@code aliveBypassWindowMs}). It also reports connections opened and
 * held to the pool's {@link PoolEvents}.
 */
final class IdleCheckingConnectionFactory extends ConnectionFactory {

    static final Duration ALIVE_BYPASS = Duration.ofMillis(500);

    private final PoolEvents events;

    IdleCheckingConnectionFactory(JedisSocketFactory sockets, JedisClientConfig config) {
        this(sockets, config, PoolEvents.NONE);
    }

    /** Reports each new connection's opening time and each connection's use (borrow to return) to {@code events}. */
    IdleCheckingConnectionFactory(JedisSocketFactory sockets, JedisClientConfig config, PoolEvents events) {
        super(sockets, config);
        this.events = events;
    }

    @Override
    public PooledObject<Connection> makeObject() throws Exception {
        long start = System.nanoTime();
        PooledObject<Connection> made = super.makeObject();
        events.created(System.nanoTime() - start);
        return made;
    }

    @Override
    public void passivateObject(PooledObject<Connection> pooled) throws Exception {
        events.used(Duration.between(pooled.getLastBorrowInstant(), Instant.now()).toNanos());
        super.passivateObject(pooled);
    }

    @Override
    public boolean validateObject(PooledObject<Connection> pooled) {
        if (pooled.getIdleDuration().compareTo(ALIVE_BYPASS) < 0) {
            return pooled.getObject().isConnected() && !pooled.getObject().isBroken();
        }
        return super.validateObject(pooled);
    }
}
