package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The key helpers against the machine's Redis on 127.0.0.1:6379. Every key lives in this run's own
 * random namespace, and only that namespace is deleted afterwards (never FLUSHALL or FLUSHDB).
 */
class RedisKeysIT {

    private static final String NS = "dblayer-it:" + UUID.randomUUID() + ":";
    private static RedisClient client;
    private static RedisKeys keys;

    @BeforeAll
    static void connect() {
        client = RedisClient.create("127.0.0.1", 6379);
        keys = new RedisKeys(client);
    }

    @AfterEach
    void deleteNamespace() {
        // Cleans up with plain SCAN + UNLINK, independent of the code under test.
        ScanParams params = new ScanParams().match(KeyPatterns.escapeGlob(NS) + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            if (!page.getResult().isEmpty()) {
                client.unlink(page.getResult().toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static void set(String... names) {
        for (String name : names) {
            client.set(NS + name, "v:" + name);
        }
    }

    private static Set<String> remaining() {
        Set<String> found = new HashSet<>();
        for (String key : keys.getByPrefix(NS.substring(0, NS.length() - 1))) {
            found.add(key.substring(NS.length()));
        }
        return found;
    }

    @Test
    void deleteByPrefixDeletesTheKeyItselfAndKeysBelowItButNotSiblings() {
        set("fba:token:1", "fba:token:1:a", "fba:token:1:a:b", "fba:token:10", "fba:token:10:a", "fba:token:1x");
        long deleted = keys.deleteByPrefix(NS + "fba:token:1");
        assertEquals(3, deleted, "fba:token:1, fba:token:1:a and fba:token:1:a:b are deleted");
        assertEquals(Set.of("fba:token:10", "fba:token:10:a", "fba:token:1x"), remaining(),
                "fba:token:10 and fba:token:1x are not below fba:token:1");
    }

    @Test
    void deleteByPrefixKeepsExcludedKeys() {
        set("s:u1", "s:u1:a", "s:u1:b", "s:u1:c");
        long deleted = keys.deleteByPrefix(NS + "s:u1", 2, NS + "s:u1", NS + "s:u1:b");
        assertEquals(2, deleted, "only the keys not excluded are deleted");
        assertEquals(Set.of("s:u1", "s:u1:b"), remaining(), "the excluded keys remain");
    }

    @Test
    void deleteByPrefixTakesGlobCharactersLiterally() {
        set("a*:1", "ab:1", "a?:1", "ax:1", "a[b]:1", "ab]:1", "a\\:1");
        assertEquals(1, keys.deleteByPrefix(NS + "a*"), "only a*:1 is below a*");
        assertEquals(1, keys.deleteByPrefix(NS + "a?"), "only a?:1 is below a?");
        assertEquals(1, keys.deleteByPrefix(NS + "a[b]"), "only a[b]:1 is below a[b]");
        assertEquals(1, keys.deleteByPrefix(NS + "a\\"), "only a\\:1 is below a\\");
        assertEquals(Set.of("ab:1", "ax:1", "ab]:1"), remaining(), "keys matching the prefix as a glob remain");
    }

    @Test
    void deleteByPrefixReturnsZeroWhenNothingMatches() {
        assertEquals(0, keys.deleteByPrefix(NS + "nothing"), "no key, nothing deleted");
    }

    @Test
    void getByPrefixListsOnlyTheKeysBelowThePrefix() {
        set("g", "g:1", "g:2:x", "g2:1");
        assertEquals(Set.of(NS + "g:1", NS + "g:2:x"), new HashSet<>(keys.getByPrefix(NS + "g")),
                "g:* only, not g itself nor g2:1");
    }

    @Test
    void mgetBatchedKeepsOrderAndGivesNullForMissingKeys() {
        set("m:1", "m:3", "m:5");
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            names.add(NS + "m:" + i);
        }
        assertEquals(Arrays.asList("v:m:1", null, "v:m:3", null, "v:m:5"), keys.mgetBatched(names, 2),
                "values in key order, null where missing, across batches of 2");
        assertEquals(List.of(), keys.mgetBatched(List.of()), "no keys, no values");
    }

    @Test
    void existsBatchedCountsExistingKeys() {
        set("e:1", "e:2", "e:4");
        List<String> names = List.of(NS + "e:1", NS + "e:2", NS + "e:3", NS + "e:4", NS + "e:5");
        assertEquals(3, keys.existsBatched(names, 2), "three of five exist");
        assertEquals(3, keys.existsBatched(names), "same with the default batch size");
    }

    @Test
    void deleteBatchedCountsDeletedKeys() {
        set("d:1", "d:2", "d:3", "keep");
        long deleted = keys.deleteBatched(List.of(NS + "d:1", NS + "d:2", NS + "d:3", NS + "d:4"), 3);
        assertEquals(3, deleted, "three existed and were deleted");
        assertEquals(Set.of("keep"), remaining(), "other keys remain");
    }

    @Test
    void smembersManyReturnsEachSetInKeyOrder() {
        client.sadd(NS + "set:a", "1", "2");
        client.sadd(NS + "set:c", "3");
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put(NS + "set:c", Set.of("3"));
        expected.put(NS + "set:b", Set.of());
        expected.put(NS + "set:a", Set.of("1", "2"));
        Map<String, Set<String>> members = keys.smembersMany(List.of(NS + "set:c", NS + "set:b", NS + "set:a"), 2);
        assertEquals(expected, members, "members per key, empty for a missing set");
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(members.keySet()), "key order kept");
    }

    @Test
    void rejectsABatchSizeBelowOneNamingArgumentAndValue() {
        List<String> one = List.of(NS + "x");
        Map<String, Executable> calls = Map.of(
                "mgetBatched", () -> keys.mgetBatched(one, 0),
                "existsBatched", () -> keys.existsBatched(one, -1),
                "deleteBatched", () -> keys.deleteBatched(one, 0),
                "smembersMany", () -> keys.smembersMany(one, 0),
                "deleteByPrefix", () -> keys.deleteByPrefix(NS + "x", 0));
        calls.forEach((name, call) -> {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call,
                    name + " must reject a batch size below 1");
            assertTrue(error.getMessage().startsWith("batchSize must be at least 1 but was "),
                    name + " names the argument and value: " + error.getMessage());
        });
    }

    @Test
    void rejectsABlankPrefix() {
        assertThrows(IllegalArgumentException.class, () -> keys.deleteByPrefix(" "),
                "a blank prefix would delete every key below \":\"");
        assertThrows(IllegalArgumentException.class, () -> keys.getByPrefix(null), "a null prefix");
    }
}
