package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import redis.clients.jedis.UnifiedJedis;

/**
 * Every {@link RedisKeys} helper, with the same expectations in every mode: run against a
 * standalone server, a Sentinel deployment and a cluster, they must give the same results. The keys
 * (in a namespace of their own) spread over many hash slots, so in a cluster every batch crosses
 * nodes.
 */
final class HelperChecks {

    private HelperChecks() {
    }

    static void runAll(UnifiedJedis client, RedisKeys keys, String mode) {
        String ns = "dblayer-modes:" + UUID.randomUUID() + ":";
        deleteByPrefix(client, keys, ns, mode);
        getByPrefix(client, keys, ns, mode);
        batches(client, keys, ns, mode);
        smembers(client, keys, ns, mode);
        keys.deleteByPrefix(ns.substring(0, ns.length() - 1));
        assertEquals(List.of(), keys.getByPrefix(ns.substring(0, ns.length() - 1)), mode + ": the namespace is empty");
    }

    private static void deleteByPrefix(UnifiedJedis client, RedisKeys keys, String ns, String mode) {
        String user = ns + "fba:token:1";
        for (String key : List.of(user, user + ":a", user + ":a:b", ns + "fba:token:10", ns + "fba:token:1x")) {
            client.set(key, "v");
        }
        for (int i = 0; i < 500; i++) {
            client.set(user + ":s" + i, "v");
        }
        assertEquals(502, keys.deleteByPrefix(user, 7, user + ":s3"), mode
                + ": deleteByPrefix deletes the key, the keys below it but not the excluded one, in batches of 7");
        assertEquals(Set.of(ns + "fba:token:10", ns + "fba:token:1x", user + ":s3"),
                new HashSet<>(keys.getByPrefix(ns.substring(0, ns.length() - 1))),
                mode + ": siblings and the excluded key remain");
        assertEquals(1, keys.deleteByPrefix(ns + "fba:token:10"), mode + ": the key named exactly like the prefix");
        assertEquals(0, keys.deleteByPrefix(ns + "nothing"), mode + ": nothing matches, nothing deleted");
        assertEquals(2, keys.deleteByPrefix(ns + "fba"), mode + ": fba:token:1x and the once-excluded key remained below fba");
    }

    private static void getByPrefix(UnifiedJedis client, RedisKeys keys, String ns, String mode) {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            client.set(ns + "g:" + i, "v");
            expected.add(ns + "g:" + i);
        }
        client.set(ns + "g", "v");
        client.set(ns + "g2:1", "v");
        List<String> found = keys.getByPrefix(ns + "g");
        assertEquals(expected.size(), found.size(), mode + ": getByPrefix lists each key once");
        assertEquals(expected, new HashSet<>(found), mode + ": g:* only, not g itself nor g2:1");
        keys.deleteBatched(List.of(ns + "g", ns + "g2:1"));
    }

    private static void batches(UnifiedJedis client, RedisKeys keys, String ns, String mode) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add(ns + "m:" + i);
            if (i % 3 == 0) {
                client.set(ns + "m:" + i, "v" + i);
                values.add("v" + i);
            } else {
                values.add(null);
            }
        }
        assertEquals(values, keys.mgetBatched(names, 7), mode + ": mgetBatched keeps key order, null where missing");
        assertEquals(Arrays.asList("v0", null, "v0"), keys.mgetBatched(List.of(ns + "m:0", ns + "m:1", ns + "m:0")),
                mode + ": a key listed twice gets its value twice");
        assertEquals(100, keys.existsBatched(names, 7), mode + ": existsBatched counts the 100 existing keys");
        assertEquals(2, keys.existsBatched(List.of(ns + "m:0", ns + "m:0")), mode + ": a key listed twice counts twice");
        assertEquals(100, keys.deleteBatched(names, 11), mode + ": deleteBatched counts the deleted keys");
        assertEquals(0, keys.existsBatched(names), mode + ": none left");
    }

    private static void smembers(UnifiedJedis client, RedisKeys keys, String ns, String mode) {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            String key = ns + "set:" + i;
            if (i % 2 == 0) {
                client.sadd(key, "a" + i, "b" + i);
                expected.put(key, Set.of("a" + i, "b" + i));
            } else {
                expected.put(key, Set.of());
            }
        }
        List<String> order = new ArrayList<>(expected.keySet());
        java.util.Collections.reverse(order);
        Map<String, Set<String>> members = keys.smembersMany(order, 3);
        assertEquals(expected, members, mode + ": smembersMany gives each set, empty for a missing one");
        assertEquals(order, new ArrayList<>(members.keySet()), mode + ": in key order");
        keys.deleteBatched(order);
    }
}
