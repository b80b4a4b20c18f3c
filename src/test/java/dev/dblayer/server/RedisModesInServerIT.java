package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Ticket;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.server.redismodes.ModesServlet;
import dev.dblayer.server.redismodes.WrongTypeServlet;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.RedisClusterSet;
import dev.dblayer.testsupport.RedisServerProcess;
import dev.dblayer.testsupport.RedisSentinelSet;
import redis.clients.jedis.Jedis;

/**
 * Sentinel and Cluster mode in the server under test, against a private Sentinel set (one primary,
 * one replica, three sentinels) and a private three-primary cluster: {@code @Inject UnifiedJedis}
 * and {@code RedisKeys} in real requests, the mode's own type, readiness naming the mode, and a
 * WAR that injects another mode's type refused at deployment with the message that says what to
 * inject. Three deployments in all (each boots a Payara Micro of its own).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedisModesInServerIT {

    static final String SENTINEL_APP = "redis-sentinel";
    static final String CLUSTER_APP = "redis-cluster";
    static final String WRONG_TYPE_APP = "redis-wrong-type";
    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_redis_modes");
    static final RedisSentinelSet SENTINELS = new RedisSentinelSet(5000, 10000);
    static final RedisClusterSet CLUSTER = new RedisClusterSet(5000);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    Deployer deployer;

    private static WebArchive war(String name, Map<String, String> redisSettings) {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
        settings.putAll(redisSettings);
        settings.put("redis.timeout", "2s");
        return Deployments.war(name, settings)
                .addClasses(Item.class, Token.class, Ticket.class)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @Deployment(name = SENTINEL_APP, managed = false)
    static WebArchive sentinelMode() {
        return war(SENTINEL_APP, Map.of("redis.sentinel.master", RedisSentinelSet.MASTER,
                "redis.sentinel.nodes", SENTINELS.sentinelNodes())).addClass(ModesServlet.class);
    }

    @Deployment(name = CLUSTER_APP, managed = false)
    static WebArchive clusterMode() {
        return war(CLUSTER_APP, Map.of("redis.cluster.nodes", CLUSTER.seeds())).addClass(ModesServlet.class);
    }

    @Deployment(name = WRONG_TYPE_APP, managed = false)
    static WebArchive clusterModeWithTheStandaloneType() {
        return war(WRONG_TYPE_APP, Map.of("redis.cluster.nodes", CLUSTER.seeds())).addClass(WrongTypeServlet.class);
    }

    @AfterAll
    static void stopRedis() {
        SENTINELS.close();
        CLUSTER.close();
    }

    @Test
    void sentinelModeServesTheInjectedClientHelpersAndReadiness() throws Exception {
        deployer.deploy(SENTINEL_APP);
        try {
            assertEquals("RedisSentinelClient", get(SENTINEL_APP, "modes/client"),
                    "@Inject UnifiedJedis gives the Sentinel client when redis.sentinel.* is set");
            assertEquals("PONG", get(SENTINEL_APP, "modes/own?mode=sentinel"),
                    "the mode's own type, RedisSentinelClient, is injectable too");
            assertEquals(values(40), get(SENTINEL_APP, "modes/fill?prefix=fba:token:7&count=40"),
                    "UnifiedJedis writes and RedisKeys.mgetBatched reads back in order, in batches of 7");
            try (Jedis primary = new Jedis("127.0.0.1", SENTINELS.primary().port())) {
                assertEquals("v39", primary.get("fba:token:7:39"), "the keys are on the primary the sentinels name");
            }
            assertEquals("40 0 true", get(SENTINEL_APP, "modes/delete?prefix=fba:token:7"),
                    "deleteByPrefix deletes the 40 keys under fba:token:7, not the look-alike fba:token:70:lookalike");

            JSONObject redis = awaitRedisCheckUp();
            JSONObject data = redis.getJSONObject("data");
            assertEquals("sentinel", data.getString("mode"), "readiness names the mode: " + redis);
            assertEquals(RedisSentinelSet.MASTER, data.getString("master"), "and the master set: " + redis);
            assertEquals("127.0.0.1:" + SENTINELS.primary().port(), data.getString("primary"),
                    "and the primary the sentinels name: " + redis);
        } finally {
            deployer.undeploy(SENTINEL_APP);
        }
    }

    @Test
    void clusterModeServesTheInjectedClientHelpersAcrossSlotsAndReadiness() throws Exception {
        deployer.deploy(CLUSTER_APP);
        try {
            assertEquals("RedisClusterClient", get(CLUSTER_APP, "modes/client"),
                    "@Inject UnifiedJedis gives the Cluster client when redis.cluster.nodes is set");
            assertEquals("PONG", get(CLUSTER_APP, "modes/own?mode=cluster"),
                    "the mode's own type, RedisClusterClient, is injectable too");
            assertEquals(values(300), get(CLUSTER_APP, "modes/fill?prefix=fba:token:7&count=300"),
                    "mgetBatched reads back 300 keys spread over the slots, in key order");
            Map<Integer, Integer> perPrimary = keysPerPrimary("fba:token:7:*");
            assertEquals(3, perPrimary.size(), "the 300 keys are on all three primaries: " + perPrimary);
            assertEquals(300, perPrimary.values().stream().mapToInt(Integer::intValue).sum(),
                    "and every one was written: " + perPrimary);
            assertEquals("300 0 true", get(CLUSTER_APP, "modes/delete?prefix=fba:token:7"),
                    "deleteByPrefix deletes the 300 keys on every primary, not the look-alike");
            assertTrue(keysPerPrimary("fba:token:7:*").isEmpty(), "no key under the prefix is left on any primary");

            JSONObject redis = awaitRedisCheckUp();
            JSONObject data = redis.getJSONObject("data");
            assertEquals("cluster", data.getString("mode"), "readiness names the mode: " + redis);
            assertEquals(16384, data.getLong("slotsOk"), "and every slot served: " + redis);
            assertEquals(6, data.getLong("knownNodes"), "and the six nodes: " + redis);
        } finally {
            deployer.undeploy(CLUSTER_APP);
        }
    }

    @Test
    void injectingAnotherModesTypeFailsTheDeploymentWithTheMessage() throws Exception {
        // Open Liberty's adapter throws (after appDeployTimeout); Payara Micro's logs the failure and
        // returns, copying the server's console onto System.out: keep a copy of it.
        String log = Deployments.deployFailing(deployer, WRONG_TYPE_APP);
        try {
            HttpResponse<String> probe = send(WRONG_TYPE_APP, "wrong-type");
            assertEquals(404, probe.statusCode(), "the WAR that injects RedisClient in Cluster mode is not deployed: "
                    + probe.body());
            assertTrue(log.contains("Redis is configured in cluster mode, which gives a RedisClusterClient")
                    && log.contains("WrongTypeServlet.redis needs standalone mode")
                    && log.contains("Inject redis.clients.jedis.UnifiedJedis, which works in every mode"),
                    "the server log names the mode, the injection point and what to inject instead");
        } finally {
            try {
                deployer.undeploy(WRONG_TYPE_APP);
            } catch (RuntimeException e) {
                // a deployment that failed may not be registered as deployed
            }
        }
    }

    private static String values(int count) {
        return IntStream.range(0, count).mapToObj(i -> "v" + i).collect(Collectors.joining(","));
    }

    /** Keys matching {@code pattern} on each primary that holds any, by port. */
    private static Map<Integer, Integer> keysPerPrimary(String pattern) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (RedisServerProcess node : CLUSTER.nodes()) {
            try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                if (jedis.info("replication").contains("role:master")) {
                    int found = jedis.keys(pattern).size();
                    if (found > 0) {
                        counts.put(node.port(), found);
                    }
                }
            }
        }
        return counts;
    }

    /** The {@code redis} check of /health/ready once it is UP, or the test fails with the last answer after 15 s. */
    private static JSONObject awaitRedisCheckUp() throws Exception {
        String body = "";
        for (int i = 0; i < 60; i++) {
            body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Deployments.httpPort()
                    + "/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            JSONArray checks = new JSONObject(body).getJSONArray("checks");
            for (int c = 0; c < checks.length(); c++) {
                JSONObject check = checks.getJSONObject(c);
                if ("redis".equals(check.getString("name")) && "UP".equals(check.getString("status"))) {
                    return check;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the redis readiness check is UP within 15 s: " + body);
    }

    private static HttpResponse<String> send(String app, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Deployments.httpPort() + "/" + app
                + "/" + path)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String app, String path) throws Exception {
        HttpResponse<String> response = send(app, path);
        assertEquals(200, response.statusCode(), "GET " + path + ": " + response.body());
        return response.body();
    }

}
