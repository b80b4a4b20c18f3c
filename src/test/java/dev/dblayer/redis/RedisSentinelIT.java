package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.dblayer.health.Readinesses;
import dev.dblayer.health.RedisReadiness;
import dev.dblayer.snowflake.Leases;
import dev.dblayer.testsupport.MapConfig;
import dev.dblayer.testsupport.RedisSentinelSet;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Sentinel mode against a private deployment (one primary, one replica, three sentinels, on free
 * ports): the client, every helper, the node leases, readiness, and a SIGKILLed primary under load.
 * Timeouts: sentinel down-after-milliseconds {@value #DOWN_AFTER_MS}, failover-timeout
 * {@value #FAILOVER_TIMEOUT_MS}, redis.timeout 1s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelIT {

    static final int DOWN_AFTER_MS = 1000;
    static final int FAILOVER_TIMEOUT_MS = 5000;
    private static final String CANARY = "canary-sentinel-pw-7731";

    private static RedisSentinelSet servers;
    private static Redis redis;
    private static RedisReadiness readiness;

    @BeforeAll
    static void start() {
        servers = new RedisSentinelSet(DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS);
        redis = Redises.start(new MapConfig(Map.of("redis.sentinel.master", RedisSentinelSet.MASTER,
                "redis.sentinel.nodes", servers.sentinelNodes(), "redis.timeout", "1s", "redis.database", "2")));
        readiness = Readinesses.redis(redis, "500ms");
    }

    @AfterAll
    static void stop() {
        if (readiness != null) {
            Readinesses.close(readiness);
        }
        if (redis != null) {
            Redises.close(redis);
        }
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    @Order(1)
    void theClientIsASentinelClientOnTheCurrentPrimaryAndItsDatabase() {
        UnifiedJedis client = redis.client();
        assertTrue(client instanceof RedisSentinelClient, "Sentinel mode gives a RedisSentinelClient: " + client);
        assertEquals(new HostAndPort("127.0.0.1", servers.primary().port()),
                ((RedisSentinelClient) client).getCurrentMaster(), "connected to the primary the sentinels name");
        client.set("sentinel-it:db", "2");
        try (redis.clients.jedis.Jedis direct = new redis.clients.jedis.Jedis("127.0.0.1", servers.primary().port())) {
            direct.select(2);
            assertEquals("2", direct.get("sentinel-it:db"), "redis.database applies in Sentinel mode");
        }
        client.del("sentinel-it:db");
    }

    @Test
    @Order(2)
    void everyHelperGivesTheSameResultsAsStandalone() {
        HelperChecks.runAll(redis.client(), new RedisKeys(redis.client()), "sentinel");
    }

    @Test
    @Order(3)
    void nodeLeasesWorkUnchanged() {
        assertEquals("0/0 0/1 false true 0/0", Leases.claimRenewRelease(redis.client(), "sentinel-it:snowflake"),
                "claim, no renewing another's lease, renew and release, then the pair is free again");
    }

    @Test
    @Order(4)
    void readinessIsUpWithTheModeAndThePrimary() {
        HealthCheckResponse response = Readinesses.call(readiness);
        Map<String, Object> data = Readinesses.data(response);
        assertEquals(Status.UP, response.getStatus(), "the primary answers as primary: " + data);
        assertEquals("sentinel", data.get("mode"), "the mode is reported: " + data);
        assertEquals(RedisSentinelSet.MASTER, data.get("master"), "the master name is reported: " + data);
        assertEquals("127.0.0.1:" + servers.primary().port(), data.get("primary"), "the primary is reported: " + data);
    }

    static String last(List<WriteLoad.Disturbance> seen) {
        return seen.isEmpty() ? "none" : seen.get(seen.size() - 1).what();
    }

    @Test
    @Order(5)
    void aKilledPrimaryIsReplacedAndTheSameClientWritesAgain() throws Exception {
        UnifiedJedis client = redis.client();
        List<Status> statuses = new ArrayList<>();
        try (WriteLoad load = new WriteLoad(client, "sentinel-it:load:", 100)) {
            assertTrue(load.awaitQuiet(System.nanoTime(), 500, 10_000) >= 0, "the load runs undisturbed before the kill");
            long killed = System.nanoTime();
            servers.primary().kill();
            long deadline = killed + 40_000_000_000L;
            long end = -1;
            while (System.nanoTime() < deadline) {
                statuses.add(Readinesses.call(readiness).getStatus());
                List<WriteLoad.Disturbance> seen = load.since(killed);
                long last = seen.isEmpty() ? killed : seen.get(seen.size() - 1).endNanos();
                if (!seen.isEmpty() && System.nanoTime() - last > 3_000_000_000L) {
                    end = last;
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(end > 0, "writes were disturbed by the kill and then went 3 s undisturbed, within 60 s; "
                    + "disturbances " + load.since(killed).size() + ", the last: " + last(load.since(killed))
                    + "; the first sentinel said:\n" + servers.sentinelOutput());
            long windowMs = (end - killed) / 1_000_000;
            System.out.println("[failover] sentinel: writes disturbed for " + windowMs + " ms after SIGKILL of the"
                    + " primary (down-after-milliseconds " + DOWN_AFTER_MS + ", failover-timeout " + FAILOVER_TIMEOUT_MS
                    + ", redis.timeout 1s); " + load.since(killed).size() + " failed or slow operations");
            assertTrue(windowMs < 30_000, "the failover completes well within 30 s: " + windowMs + " ms");
            long afterRecovery = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                client.set("sentinel-it:after:" + i, "v");
            }
            assertEquals(List.of(), load.since(afterRecovery), "no stale connection errors after the failover");
        }
        assertEquals(new HostAndPort("127.0.0.1", servers.replica().port()), servers.currentPrimary(),
                "the sentinels promoted the replica");
        assertEquals(new HostAndPort("127.0.0.1", servers.replica().port()),
                ((RedisSentinelClient) client).getCurrentMaster(), "the same client follows the new primary");
        assertTrue(statuses.contains(Status.DOWN), "readiness was DOWN during the failover: " + statuses);
        HealthCheckResponse after = Readinesses.call(readiness);
        assertEquals(Status.UP, after.getStatus(), "readiness is UP after: " + Readinesses.data(after));
        assertEquals("127.0.0.1:" + servers.replica().port(), Readinesses.data(after).get("primary"),
                "readiness names the new primary");
        assertNotEquals(Status.DOWN, statuses.get(statuses.size() - 1), "the last status seen is not DOWN");
        assertFalse(String.valueOf(Readinesses.data(after)).contains(CANARY), "no secret in the data");
    }
}
