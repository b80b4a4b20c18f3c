package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.dblayer.testsupport.RedisServerProcess;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** deleteByPrefix on a few hundred thousand keys, on a private redis-server. */
class DeleteByPrefixLargeIT {

    private static final int KEYS = 300_000;

    @Test
    void deletesEveryKeyBelowThePrefixExceptTheExcludedOnes() {
        try (RedisServerProcess server = RedisServerProcess.start();
                RedisClient client = RedisClient.create("127.0.0.1", server.port())) {
            Set<String> kept = new HashSet<>();
            try (Pipeline pipeline = client.pipelined()) {
                for (int i = 0; i < KEYS; i++) {
                    pipeline.set("fba:token:" + i, "t");
                    if (i % 10_000 == 0) {
                        pipeline.sync();
                    }
                }
                // Unrelated keys, some of them siblings that share the prefix's characters.
                for (String key : List.of("fba:token", "fba:tokens:1", "fba:token2:1", "fba:tok", "other:1")) {
                    pipeline.set(key, "x");
                    kept.add(key);
                }
                pipeline.sync();
            }
            String[] excluded = new String[100];
            for (int i = 0; i < excluded.length; i++) {
                excluded[i] = "fba:token:" + (i * 2_999);
                kept.add(excluded[i]);
            }
            long deleted = new RedisKeys(client).deleteByPrefix("fba:token", excluded);
            // "fba:token" itself is below its own prefix and not excluded, so it goes too.
            kept.remove("fba:token");
            assertEquals(KEYS - excluded.length + 1, deleted, "every key but the excluded ones is deleted");
            assertEquals(kept, allKeys(client), "exactly the excluded and unrelated keys remain");
        }
    }

    private static Set<String> allKeys(RedisClient client) {
        Set<String> keys = new HashSet<>();
        ScanParams params = new ScanParams().count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }
}
