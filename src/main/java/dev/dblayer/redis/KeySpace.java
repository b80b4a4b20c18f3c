package dev.dblayer.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.Pool;

/**
 * Where {@link RedisKeys}' prefix scans run: on the one primary (standalone, Sentinel) or on every
 * primary of a cluster ({@link ClusterKeySpace}). Both run the whole SCAN again on a primary that
 * changed or failed during the call, until it went through on an unchanged primary or
 * {@code failoverWait} ran out; see {@code docs/redis.md} for the guarantee.
 */
abstract class KeySpace {

    static final CommandObjects COMMANDS = new CommandObjects(redis.clients.jedis.RedisProtocol.RESP2);
    private static final long RETRY_PAUSE_MILLIS = 100;

    final Duration failoverWait;

    KeySpace(Duration failoverWait) {
        this.failoverWait = failoverWait;
    }

    /** The key space of {@code client}, a {@link RedisClient}, {@link RedisSentinelClient} or {@link RedisClusterClient}. */
    static KeySpace of(UnifiedJedis client, Duration failoverWait) {
        if (client instanceof RedisClusterClient cluster) {
            return new ClusterKeySpace(cluster, failoverWait);
        }
        if (client instanceof RedisClient standalone) {
            // one server, no failover to wait for: a failure is reported at once
            return new SingleNode(() -> standalone.getPool().getResource(), () -> "standalone", Duration.ZERO);
        }
        if (client instanceof RedisSentinelClient sentinel) {
            return new SingleNode(() -> primaryPool(sentinel).getResource(), sentinel::getCurrentMaster, failoverWait);
        }
        throw new IllegalArgumentException("RedisKeys needs a RedisClient, RedisSentinelClient or RedisClusterClient"
                + " (dblayer's injected client is one) but was a " + client.getClass().getName());
    }

    private static Pool<Connection> primaryPool(RedisSentinelClient sentinel) {
        Map<?, Pool<Connection>> pools = sentinel.getPrimaryNodesConnectionMap();
        return pools.values().iterator().next();
    }

    /** Whether keys spread over hash slots on several nodes. */
    abstract boolean cluster();

    /** Deletes {@code prefix} and every key below it but the {@code excluded}; how many were deleted. */
    abstract long deleteByPrefix(String prefix, Set<String> excluded, int batchSize);

    /** Every key below {@code prefix}, each once. */
    abstract Set<String> keysBelow(String prefix);

    /** All of one node's keys below {@code prefix}, by SCAN on {@code connection}, into {@code into}. */
    static void scanInto(Connection connection, String prefix, Set<String> into) {
        ScanParams params = new ScanParams().match(KeyPatterns.below(prefix)).count(RedisKeys.SCAN_COUNT);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = connection.executeCommand(COMMANDS.scan(cursor, params));
            into.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    /** Waits a little before the next try; false when {@code deadlineNanos} has passed. */
    static boolean pauseUntil(long deadlineNanos) {
        if (System.nanoTime() >= deadlineNanos) {
            return false;
        }
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /**
     * One primary: the standalone server, or the one the sentinels name ({@code primary} names it).
     * A scan that fails to reach it, or that ends under another primary than it began with, runs
     * again from cursor 0 on the current primary.
     */
    static final class SingleNode extends KeySpace {

        private final Supplier<Connection> connections;
        private final Supplier<Object> primary;

        SingleNode(Supplier<Connection> connections, Supplier<Object> primary, Duration failoverWait) {
            super(failoverWait);
            this.connections = connections;
            this.primary = primary;
        }

        @Override
        boolean cluster() {
            return false;
        }

        @Override
        long deleteByPrefix(String prefix, Set<String> excluded, int batchSize) {
            long[] deleted = {0};
            untilStable(connection -> deleted[0] += new PrefixDeletion(prefix, excluded, batchSize,
                    RedisKeys.SCAN_COUNT).run(connection));
            return deleted[0];
        }

        @Override
        Set<String> keysBelow(String prefix) {
            Set<String> keys = new LinkedHashSet<>();
            untilStable(connection -> scanInto(connection, prefix, keys));
            return keys;
        }

        private void untilStable(java.util.function.Consumer<Connection> scan) {
            long deadline = System.nanoTime() + failoverWait.toNanos();
            while (true) {
                Object before = primary.get();
                try (Connection connection = connections.get()) {
                    scan.accept(connection);
                    if (before.equals(primary.get())) {
                        return;
                    }
                } catch (JedisConnectionException e) {
                    if (!pauseUntil(deadline)) {
                        throw e;
                    }
                    continue;
                }
                if (!pauseUntil(deadline)) {
                    throw new JedisConnectionException("the primary changed from " + before + " to " + primary.get()
                            + " during the scan, and again within " + failoverWait.toSeconds() + " s");
                }
            }
        }
    }
}
