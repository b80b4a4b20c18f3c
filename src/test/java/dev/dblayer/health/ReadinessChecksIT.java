package dev.dblayer.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

import dev.dblayer.db.Database;
import dev.dblayer.db.Databases;
import dev.dblayer.redis.Redis;
import dev.dblayer.redis.Redises;
import dev.dblayer.testsupport.MapConfig;
import dev.dblayer.testsupport.RedisServerProcess;

/**
 * The readiness checks outside a server (SmallRye Health builds the responses), against the
 * machine's PostgreSQL and private Redis instances: what they report for a full pool, an optional
 * Redis that is down, and refused credentials.
 */
class ReadinessChecksIT {

    private static final String CANARY = "canary-health-pw-4410";

    @Test
    void fullPoolIsReportedUpAndSaturatedNotAsAnOutage() throws Exception {
        Map<String, String> settings = Map.of("database.host", "127.0.0.1", "database.schema", "dblayer_health_direct",
                "database.create-database", "true", "database.pool.size", "1", "database.pool.max-overflow", "0",
                "database.pool.timeout", "3s");
        Database database = Databases.start(new MapConfig(settings));
        try (Connection held = database.dataSource().getConnection()) {
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                try (Connection ignored = database.dataSource().getConnection()) {
                    // got one after the test released it
                } catch (Exception timedOut) {
                    // the pool timeout may expire first; either way the waiter was counted
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (database.poolStatistics().orElseThrow().waiting() == 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            HealthCheckResponse response = new DatabaseReadiness(database, new MapConfig(Map.of())).call();
            assertEquals(Status.UP, response.getStatus(), "a full pool with requests waiting is not an outage");
            assertEquals("saturated", data(response).get("pool"), "the data says the pool is saturated: " + data(response));
            assertEquals(1L, ((Number) data(response).get("pool.waiting")).longValue(), "one request waits");
            held.close();
            waiter.get();
        } finally {
            Databases.close(database);
        }
    }

    @Test
    void unreachableDatabaseIsDownWithTheReason() {
        int closedPort = RedisServerProcess.freePort();
        Database database = Databases.start(new MapConfig(Map.of("database.host", "127.0.0.1",
                "database.port", Integer.toString(closedPort), "database.password", CANARY)));
        try {
            HealthCheckResponse response = new DatabaseReadiness(database, new MapConfig(Map.of())).call();
            assertEquals(Status.DOWN, response.getStatus(), "an unreachable database makes readiness DOWN");
            String reason = String.valueOf(data(response).get("reason"));
            assertTrue(reason.contains("refused") || reason.contains("within"), "the reason says why: " + reason);
            assertFalse(data(response).toString().contains(CANARY), "no password in the health data");
        } finally {
            Databases.close(database);
        }
    }

    @Test
    void optionalRedisThatIsDownStaysUpWithTheFailureInItsData() {
        int closedPort = RedisServerProcess.freePort();
        Redis redis = Redises.start(new MapConfig(Map.of("redis.host", "127.0.0.1",
                "redis.port", Integer.toString(closedPort), "redis.required", "false")));
        try {
            HealthCheckResponse response = new RedisReadiness(redis, new MapConfig(Map.of())).call();
            assertEquals(Status.UP, response.getStatus(), "redis.required=false keeps readiness UP");
            assertEquals("DOWN", data(response).get("status"), "the failure is in the data: " + data(response));
            assertTrue(String.valueOf(data(response).get("reason")).startsWith("refused"),
                    "the reason says the connection was refused: " + data(response));
        } finally {
            Redises.close(redis);
        }
    }

    @Test
    void refusedRedisCredentialsAreDownAsAuthenticationWithoutThePassword() {
        try (RedisServerProcess server = RedisServerProcess.start("--requirepass", "the-real-one")) {
            Redis redis = Redises.start(new MapConfig(Map.of("redis.host", "127.0.0.1",
                    "redis.port", Integer.toString(server.port()), "redis.password", CANARY)));
            try {
                HealthCheckResponse response = new RedisReadiness(redis, new MapConfig(Map.of())).call();
                assertEquals(Status.DOWN, response.getStatus(), "wrong credentials make Redis DOWN");
                assertTrue(String.valueOf(data(response).get("reason")).startsWith("authentication"),
                        "the reason names authentication: " + data(response));
                assertFalse(data(response).toString().contains(CANARY), "no password in the health data");
            } finally {
                Redises.close(redis);
            }
        }
    }

    private static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElseThrow();
    }
}
