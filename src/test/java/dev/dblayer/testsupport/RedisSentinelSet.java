package dev.dblayer.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A private Sentinel deployment on free loopback ports: one primary, one replica and three
 * sentinels (quorum 2), never the shared server. Every process is stopped by {@link #close()}.
 */
public final class RedisSentinelSet implements AutoCloseable {

    public static final String MASTER = "dblayer-it";

    private final List<RedisServerProcess> started = new ArrayList<>();
    private final RedisServerProcess primary;
    private final RedisServerProcess replica;
    private final List<RedisServerProcess> sentinels = new ArrayList<>();

    /** Starts the five processes and waits until the sentinels know the replica and each other. */
    public RedisSentinelSet(int downAfterMillis, int failoverTimeoutMillis) {
        try {
            primary = add(RedisServerProcess.start());
            replica = add(RedisServerProcess.start("--replicaof", "127.0.0.1", String.valueOf(primary.port())));
            for (int i = 0; i < 3; i++) {
                sentinels.add(add(RedisServerProcess.startSentinel(MASTER, primary.port(), downAfterMillis,
                        failoverTimeoutMillis)));
            }
            awaitDiscovered();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private RedisServerProcess add(RedisServerProcess process) {
        started.add(process);
        return process;
    }

    private void awaitDiscovered() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean ready = true;
            for (RedisServerProcess sentinel : sentinels) {
                try (Jedis jedis = new Jedis("127.0.0.1", sentinel.port())) {
                    var master = jedis.sentinelMaster(MASTER);
                    ready &= "1".equals(master.get("num-slaves")) && "2".equals(master.get("num-other-sentinels"));
                }
            }
            try (Jedis jedis = new Jedis("127.0.0.1", replica.port())) {
                ready &= jedis.info("replication").contains("master_link_status:up");
            }
            if (ready) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("the sentinels did not discover the replica and each other within 30 s");
    }

    /** The primary the deployment started with. */
    public RedisServerProcess primary() {
        return primary;
    }

    /** The replica, to be promoted when the primary dies. */
    public RedisServerProcess replica() {
        return replica;
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}, as {@code redis.sentinel.nodes} takes them. */
    public String sentinelNodes() {
        return sentinels.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    /** The primary as the first sentinel names it now. */
    public HostAndPort currentPrimary() {
        try (Jedis jedis = new Jedis("127.0.0.1", sentinels.get(0).port())) {
            List<String> address = jedis.sentinelGetMasterAddrByName(MASTER);
            return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
        }
    }

    /** What the first sentinel printed, for failure messages. */
    public String sentinelOutput() {
        return sentinels.get(0).output();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every process (by its own handle) and removes their directories. */
    @Override
    public void close() {
        for (RedisServerProcess process : started) {
            try {
                process.close();
            } catch (RuntimeException e) {
                // go on stopping the others
            }
        }
    }
}
