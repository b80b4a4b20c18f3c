package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.dblayer.testsupport.MapConfig;
import dev.dblayer.testsupport.RedisServerProcess;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The pool settings against a private redis-server, watched from a connection of the test's own:
 * {@code redis.max-connections} with {@code redis.pool-timeout}, and {@code redis.health-check-interval}.
 */
class RedisPoolIT {

    private RedisServerProcess server;
    private Jedis observer;
    private Redis redis;

    @BeforeEach
    void startServer() {
        server = RedisServerProcess.start();
        observer = new Jedis("127.0.0.1", server.port());
    }

    @AfterEach
    void stopAll() {
        if (redis != null) {
            Redises.close(redis);
        }
        observer.close();
        server.close();
    }

    private UnifiedJedis client(String... keysAndValues) {
        Map<String, String> values = new HashMap<>(Map.of("redis.host", "127.0.0.1",
                "redis.port", String.valueOf(server.port()), "redis.timeout", "5s"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        redis = Redises.start(new MapConfig(values));
        return redis.client();
    }

    /** Clients whose last command was {@code command}, from CLIENT LIST. */
    private long clientsRunning(String command) {
        return observer.clientList().lines().filter(line -> line.contains(" cmd=" + command + " ")).count();
    }

    /** PINGs the server has answered, from INFO commandstats. */
    private long pings() {
        return observer.info("commandstats").lines().filter(line -> line.startsWith("cmdstat_ping:"))
                .map(line -> line.replaceAll("cmdstat_ping:calls=(\\d+),.*", "$1")).mapToLong(Long::parseLong)
                .findFirst().orElse(0);
    }

    /** Polls {@code value} every 100 ms until it reaches {@code target}, for at most {@code limit}. */
    private static long awaitAtLeast(LongSupplier value, long target, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long current = value.getAsLong();
        while (current < target && System.nanoTime() < deadline) {
            Thread.sleep(100);
            current = value.getAsLong();
        }
        return current;
    }

    @Test
    void aBorrowerBeyondMaxConnectionsFailsAfterThePoolTimeoutNamingTheSettings() throws Exception {
        UnifiedJedis client = client("redis.max-connections", "2", "redis.pool-timeout", "500ms");
        ExecutorService holders = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(holders.submit(() -> client.blpop(30, "held")));
            }
            assertEquals(2, awaitAtLeast(() -> clientsRunning("blpop"), 2, Duration.ofSeconds(10)),
                    "both pooled connections are blocked in BLPOP: " + observer.clientList());

            long start = System.nanoTime();
            JedisException error = assertThrows(JedisException.class, () -> client.get("third"),
                    "a third command finds no free connection among redis.max-connections=2");
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(waitedMillis >= 500, "it waits redis.pool-timeout=500ms first, but failed after "
                    + waitedMillis + " ms");
            assertTrue(waitedMillis < 20_000, "it fails instead of waiting for a connection: " + waitedMillis + " ms");
            assertTrue(error.getMessage().contains("redis.pool-timeout=500ms")
                    && error.getMessage().contains("redis.max-connections=2"),
                    "the message names both settings and their values: " + error.getMessage());

            observer.rpush("held", "first", "second");
            for (Future<List<String>> holder : held) {
                assertEquals("held", holder.get(10, TimeUnit.SECONDS).get(0),
                        "each holder was really blocked on its own pooled connection and gets one element");
            }
            client.set("after", "ok");
            assertEquals("ok", client.get("after"), "with the connections back in the pool commands run again");
        } finally {
            holders.shutdownNow();
        }
    }

    @Test
    void idlePooledConnectionsArePingedEveryHealthCheckInterval() throws Exception {
        UnifiedJedis client = client("redis.health-check-interval", "1s");
        client.set("warm", "up"); // one connection, now idle in the pool
        long before = pings();

        long after = awaitAtLeast(this::pings, before + 2, Duration.ofSeconds(10));

        assertTrue(after >= before + 2, "an idle connection is PINGed about once a second; PINGs went from "
                + before + " to " + after);
        assertEquals(1, clientsRunning("ping"), "the pooled connection's last command is PING: "
                + observer.clientList());
    }

    @Test
    void idlePooledConnectionsAreNotPingedBeforeALongInterval() throws Exception {
        UnifiedJedis client = client("redis.health-check-interval", "60s");
        client.set("warm", "up");
        long before = pings();

        Thread.sleep(3_000); // three times the interval of the test above

        assertEquals(before, pings(), "no PING within 3 s when the interval is 60 s");
        assertEquals(1, clientsRunning("set"), "the pooled connection's last command is still SET: "
                + observer.clientList());
    }
}
