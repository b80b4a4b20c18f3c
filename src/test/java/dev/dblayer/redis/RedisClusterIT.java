package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
import dev.dblayer.testsupport.RedisClusterSet;
import dev.dblayer.testsupport.RedisServerProcess;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Cluster mode against a private cluster (three primaries, three replicas, {@code redis-cli
 * --cluster create}, free ports): the client, every helper, the node leases, readiness, and a
 * SIGKILLed primary under load while {@code deleteByPrefix} runs over 100,000 keys. Timeouts:
 * {@code cluster-node-timeout} {@value #NODE_TIMEOUT_MS}, redis.timeout 1s (so the client retries a
 * command for up to 5 s).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    static final int NODE_TIMEOUT_MS = 1000;
    private static final int KEYS = 100_000;

    private static RedisClusterSet cluster;
    private static Redis redis;
    private static RedisReadiness readiness;

    @BeforeAll
    static void start() {
        cluster = new RedisClusterSet(NODE_TIMEOUT_MS);
        redis = Redises.start(new MapConfig(Map.of("redis.cluster.nodes", cluster.seeds(), "redis.timeout", "1s")));
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
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theClientIsAClusterClient() {
        UnifiedJedis client = redis.client();
        assertTrue(client instanceof RedisClusterClient, "Cluster mode gives a RedisClusterClient: " + client);
        assertEquals(3, ((RedisClusterClient) client).getClusterNodes().size(),
                "it found the three primaries from the seeds (replicas serve no reads unless asked)");
    }

    @Test
    @Order(2)
    void everyHelperGivesTheSameResultsAsStandalone() {
        HelperChecks.runAll(redis.client(), new RedisKeys(redis.client()), "cluster");
    }

    @Test
    @Order(2)
    void aStandaloneServerGivesTheSameResults() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            Redis standalone = Redises.start(new MapConfig(Map.of("redis.port", String.valueOf(server.port()))));
            try {
                HelperChecks.runAll(standalone.client(), new RedisKeys(standalone.client()), "standalone");
            } finally {
                Redises.close(standalone);
            }
        }
    }

    @Test
    @Order(3)
    void nodeLeasesWorkUnchanged() {
        assertEquals("0/0 0/1 false true 0/0", Leases.claimRenewRelease(redis.client(), "cluster-it:snowflake"),
                "claim, no renewing another's lease, renew and release, then the pair is free again");
    }

    @Test
    @Order(4)
    void readinessIsUpWithTheModeAndEverySlotServed() {
        HealthCheckResponse response = Readinesses.call(readiness);
        Map<String, Object> data = Readinesses.data(response);
        assertEquals(Status.UP, response.getStatus(), "cluster_state:ok: " + data);
        assertEquals("cluster", data.get("mode"), "the mode is reported: " + data);
        assertEquals(16384L, ((Number) data.get("slotsOk")).longValue(), "every slot served: " + data);
    }

    @Test
    @Order(4)
    void aDatabaseOtherThanZeroIsRefusedInClusterMode() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Redises.start(new MapConfig(
                Map.of("redis.cluster.nodes", cluster.seeds(), "redis.database", "1"))), "a cluster has database 0 only");
        assertTrue(error.getMessage().startsWith("redis.database must be 0 in Cluster mode"), error.getMessage());
    }

    @Test
    @Order(5)
    void aKilledPrimaryIsReplacedWhileDeleteByPrefixRunsAndNoKeyIsMissed() throws Exception {
        UnifiedJedis client = redis.client();
        fill(client);
        RedisKeys keys = new RedisKeys(client);
        List<Status> statuses = new ArrayList<>();
        try (WriteLoad load = new WriteLoad(client, "cluster-it:load:", 300)) {
            assertTrue(load.awaitQuiet(System.nanoTime(), 500, 10_000) >= 0, "the load runs undisturbed before the kill");
            RedisServerProcess victim = cluster.aPrimary();
            long startedAt = System.nanoTime();
            long[] deletionEnd = {0};
            CompletableFuture<Long> deletion = CompletableFuture.supplyAsync(() -> {
                long count = keys.deleteByPrefix("cluster-it:dp");
                deletionEnd[0] = System.nanoTime();
                return count;
            });
            Thread.sleep(50);
            long killed = System.nanoTime();
            victim.kill();
            long deadline = killed + 40_000_000_000L;
            long end = -1;
            while (System.nanoTime() < deadline) {
                statuses.add(Readinesses.call(readiness).getStatus());
                List<WriteLoad.Disturbance> seen = load.since(killed);
                long last = seen.isEmpty() ? killed : seen.get(seen.size() - 1).endNanos();
                if (!seen.isEmpty() && System.nanoTime() - last > 3_000_000_000L && deletion.isDone()) {
                    end = last;
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(end > 0, "writes were disturbed by the kill and then went 3 s undisturbed, within 40 s; "
                    + load.since(killed).size() + " disturbances, the last: " + RedisSentinelIT.last(load.since(killed)));
            long deleted = deletion.get(60, TimeUnit.SECONDS);
            long windowMs = (end - killed) / 1_000_000;
            long deletionMs = (deletionEnd[0] - startedAt) / 1_000_000;
            System.out.println("[failover] cluster: writes disturbed for " + windowMs + " ms after SIGKILL of the"
                    + " primary on port " + victim.port() + " (cluster-node-timeout " + NODE_TIMEOUT_MS
                    + ", redis.timeout 1s); " + load.since(killed).size() + " failed or slow operations;"
                    + " deleteByPrefix reported " + deleted + " deleted in " + deletionMs + " ms; readiness "
                    + statuses + "; disturbances " + load.since(killed));
            assertTrue(windowMs < 30_000, "the failover completes well within 30 s: " + windowMs + " ms");
            long afterRecovery = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                client.set("cluster-it:after:" + i, "v");
            }
            assertEquals(List.of(), load.since(afterRecovery), "no stale connection errors after the failover");
            assertEquals(Set.of(), remaining("cluster-it:dp:"), "deleteByPrefix, run during the failover, deleted"
                    + " every one of the " + KEYS + " keys (it ran " + deletionMs + " ms)");
        }
        assertTrue(statuses.contains(Status.DOWN), "readiness was DOWN during the failover: " + statuses);
        HealthCheckResponse after = Readinesses.call(readiness);
        assertEquals(Status.UP, after.getStatus(), "readiness is UP after: " + Readinesses.data(after));
    }

    /** 100,000 keys over all slots, by pipeline. */
    private static void fill(UnifiedJedis client) {
        try (ClusterPipeline pipeline = ((RedisClusterClient) client).pipelined()) {
            for (int i = 0; i < KEYS; i++) {
                pipeline.set("cluster-it:dp:" + i, "v");
                if (i % 10_000 == 9_999) {
                    pipeline.sync();
                }
            }
        }
        assertEquals(KEYS, remaining("cluster-it:dp:").size(), "the keys are written");
    }

    /** Keys with {@code prefix} on every running primary, by plain SCAN independent of the code under test. */
    private static Set<String> remaining(String prefix) {
        Set<String> found = new HashSet<>();
        for (RedisServerProcess node : cluster.nodes()) {
            if (!node.running()) {
                continue;
            }
            try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                if (!jedis.info("replication").contains("role:master")) {
                    continue;
                }
                ScanParams params = new ScanParams().match(prefix + "*").count(5000);
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(cursor, params);
                    found.addAll(page.getResult());
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }
        return found;
    }
}
