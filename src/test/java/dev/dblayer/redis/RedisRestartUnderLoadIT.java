package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.testsupport.RedisServerProcess;
import dev.dblayer.testsupport.RequestLoad;
import dev.dblayer.testsupport.RequestLoad.Attempt;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A private redis-server stopped and started again while four threads send commands through the
 * module's pooled client: commands fail only while it is down, none fails after it is back (every
 * pooled connection went stale with the restart), and the first succeeds within 1 s of its return.
 * Readiness DOWN then UP across the same restart is {@code HealthInServerIT}'s.
 */
class RedisRestartUnderLoadIT {

    /** The bound: the first command succeeds within 1 s of Redis accepting connections again. */
    private static final long RECOVERY_BOUND_MILLIS = 1000;

    @Test
    void redisRestartedWhileCommandsFlowFailsOnlyWhileDownAndRecoversWithinOneSecond() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            RedisSettings settings = RedisSettings.read(SettingsReader.of(Map.of("redis.host", "127.0.0.1",
                    "redis.port", Integer.toString(server.port()), "redis.timeout", "500ms",
                    "redis.pool-timeout", "500ms", "redis.max-connections", "8")));
            AtomicLong counter = new AtomicLong();
            try (UnifiedJedis client = RedisClients.create(settings)) {
                RequestLoad load = RequestLoad.start(4, 10_000, () -> {
                    String key = "restart:" + counter.incrementAndGet();
                    client.set(key, "v");
                    return client.get(key);
                });
                Thread.sleep(1000);
                long down = System.nanoTime();
                server.stop();
                Thread.sleep(1500);
                server.restart();
                long back = System.nanoTime();
                Thread.sleep(2000);
                List<Attempt> attempts = load.stop();

                List<Attempt> before = RequestLoad.endedBefore(attempts, down);
                List<Attempt> after = RequestLoad.startedAfter(attempts, back);
                long failed = attempts.stream().filter(a -> !a.ok()).count();
                long recoveryMillis = RequestLoad.millisToFirstSuccessAfter(attempts, back);
                System.out.printf("Redis (process stopped, started): %d commands, %d before, %d failed while down,"
                        + " %d after it was back (%d failed); first success %d ms after it was back%n",
                        attempts.size(), before.size(), failed, after.size(),
                        after.stream().filter(a -> !a.ok()).count(), recoveryMillis);

                assertTrue(before.size() > 50, "commands flowed before the outage: " + before.size());
                assertEquals(0, before.stream().filter(a -> !a.ok()).count(),
                        "no command fails before the outage: " + RequestLoad.firstFailure(before));
                assertTrue(failed > 0, "commands fail while Redis is down");
                assertTrue(after.size() > 50, "commands flowed after Redis was back: " + after.size());
                assertEquals(0, after.stream().filter(a -> !a.ok()).count(),
                        "no command that starts after Redis is back fails (no stale pooled connection): "
                                + RequestLoad.firstFailure(after));
                assertTrue(recoveryMillis >= 0 && recoveryMillis < RECOVERY_BOUND_MILLIS,
                        "the first command succeeds within 1 s of Redis being back; took " + recoveryMillis + " ms");
            }
        }
    }
}
