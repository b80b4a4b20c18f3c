package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.redis.RedisTopology.Mode;
import dev.dblayer.redis.RedisTopology.Node;

class RedisTopologyTest {

    private static final String SECRET = "sentinel-Pa55-secret";

    private static RedisSettings read(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return RedisSettings.read(SettingsReader.of(values));
    }

    @Test
    void standaloneByDefault() {
        assertEquals(Mode.STANDALONE, read().mode(), "no sentinel or cluster key: standalone");
    }

    @Test
    void readsSentinelMode() {
        RedisSettings settings = read("redis.sentinel.master", "mymaster", "redis.sentinel.nodes",
                "redis-node-0.redis-headless:26379, [::1]:26380,10.0.0.3:26379", "redis.sentinel.username", "watcher",
                "redis.sentinel.password", SECRET, "redis.database", "3");
        assertEquals(Mode.SENTINEL, settings.mode(), "master and nodes select Sentinel");
        assertEquals(Optional.of("mymaster"), settings.topology().sentinelMaster(), "the master name");
        assertEquals(List.of(new Node("redis-node-0.redis-headless", 26379), new Node("::1", 26380),
                new Node("10.0.0.3", 26379)), settings.topology().nodes(), "the sentinels, IPv6 in brackets");
        assertEquals(3, settings.database(), "a database applies in Sentinel mode");
        assertFalse(settings.toString().contains(SECRET), "the sentinel password is hidden: " + settings);
        assertTrue(settings.toString().contains("sentinelPassword=(set)"), "but said to be set: " + settings);
    }

    @Test
    void readsClusterMode() {
        RedisSettings settings = read("redis.cluster.nodes", "redis-cluster-0:6379,redis-cluster-1:6379");
        assertEquals(Mode.CLUSTER, settings.mode(), "cluster nodes select Cluster");
        assertEquals(2, settings.topology().nodes().size(), "both seeds");
    }

    @Test
    void refusesBothModesNamingTheKeys() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(
                "redis.cluster.nodes", "a:1", "redis.sentinel.master", "m", "redis.sentinel.nodes", "b:2"));
        assertTrue(error.getMessage().startsWith("redis.cluster.nodes and redis.sentinel.master/redis.sentinel.nodes"
                + " are both set"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "host:", ":6379", "host:port", "host:0", "::1:6379", "a:1,,b:2", "bad host:1"})
    void refusesAMalformedNodeNamingTheKeyAndValue(String value) {
        for (String key : List.of("redis.cluster.nodes", "redis.sentinel.nodes")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> read(key, value, "redis.sentinel.master", key.contains("sentinel") ? "m" : null),
                    key + "=" + value + " is malformed");
            assertEquals(key + " must be " + RedisTopology.NODES_ALLOWED + " but was \"" + value + "\"",
                    error.getMessage(), "the message names key, value and what is allowed");
        }
    }

    @Test
    void refusesHalfASentinelConfiguration() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read("redis.sentinel.nodes", "a:1"))
                .getMessage().contains("redis.sentinel.master"), "nodes without master");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read("redis.sentinel.master", "m"))
                .getMessage().contains("redis.sentinel.nodes"), "master without nodes");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read("redis.sentinel.password", SECRET))
                .getMessage().startsWith("redis.sentinel.password is set but Sentinel mode is not selected"),
                "a sentinel password without Sentinel mode");
    }

    @Test
    void refusesAServerAddressBesideSentinelOrCluster() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("redis.cluster.nodes", "a:1", "redis.host", "cache"));
        assertEquals("redis.cluster.nodes and redis.host are both set; in cluster mode the servers come from "
                + "redis.cluster.nodes, remove redis.host", error.getMessage(), "the conflict names both keys");
        assertThrows(IllegalArgumentException.class, () -> read("redis.sentinel.master", "m", "redis.sentinel.nodes",
                "a:1", "redis.url", "redis://cache"), "a URL beside Sentinel");
    }

    @Test
    void refusesANonZeroDatabaseInClusterMode() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("redis.cluster.nodes", "a:1", "redis.database", "2"));
        assertTrue(error.getMessage().startsWith("redis.database must be 0 in Cluster mode"), error.getMessage());
        assertTrue(error.getMessage().endsWith("but was \"2\""), error.getMessage());
    }

    @Test
    void aMismatchedInjectionPointFailsWithAClearMessage() {
        try (redis.clients.jedis.RedisClient standalone = redis.clients.jedis.RedisClient.create("127.0.0.1", 1)) {
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> RedisInjectionCheck.as(
                    redis.clients.jedis.RedisClusterClient.class, standalone, Mode.STANDALONE));
            assertTrue(error.getMessage().contains("Inject redis.clients.jedis.UnifiedJedis"), error.getMessage());
            assertTrue(error.getMessage().startsWith("Redis is configured in standalone mode"), error.getMessage());
        }
    }
}
