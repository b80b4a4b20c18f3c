package dev.dblayer.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Helpers over many keys at once: delete or list a key prefix (by SCAN, never KEYS), and batched,
 * pipelined MGET, EXISTS, delete and SMEMBERS. Keys use {@code :} as separator
 * ({@code fba:token:{user}:{session}}), and a prefix covers the key named exactly like it plus every
 * key below it: {@code fba:token:1} and {@code fba:token:1:*}, never {@code fba:token:10}.
 * <pre>{@code
 * @Inject RedisKeys keys;
 * long removed = keys.deleteByPrefix("fba:token:" + userId, "fba:token:" + userId + ":" + keptSession);
 * }</pre>
 *
 * <p>Each call uses one pooled connection, pipelined and not transactional: other clients can see
 * and change keys in between. Batch sizes bound the number of keys per command, which bounds how
 * long each command holds up the (single-threaded) server. Thread-safe.
 */
@ApplicationScoped
public class RedisKeys {

    /** Keys per MGET, EXISTS or UNLINK command unless given. */
    public static final int DEFAULT_BATCH_SIZE = 1000;
    /** SMEMBERS commands per pipeline round trip unless given. */
    public static final int DEFAULT_SMEMBERS_BATCH_SIZE = 100;
    /**
     * SCAN's COUNT: keys visited per SCAN call. A thousand keys take the server about 0.7 ms, so a
     * call holds it up for a few milliseconds, while a million keys need only 200 round trips.
     */
    static final int SCAN_COUNT = 5_000;
    /** Batches sent before reading their replies, so neither side buffers unbounded data. */
    private static final int BATCHES_PER_SYNC = 64;

    private final RedisClient client;

    /** For CDI's proxy. */
    protected RedisKeys() {
        this.client = null;
    }

    /** Helpers over {@code client}, which stays owned (and closed) by the caller. */
    @Inject
    public RedisKeys(RedisClient client) {
        this.client = client;
    }

    /**
     * Deletes the key {@code prefix} and every key {@code prefix:*}, except the {@code exclude}d keys,
     * in UNLINK commands of at most {@value #DEFAULT_BATCH_SIZE} keys.
     *
     * @return the number of keys deleted
     * @throws IllegalArgumentException if {@code prefix} is null or blank
     */
    public long deleteByPrefix(String prefix, String... exclude) {
        return deleteByPrefix(prefix, DEFAULT_BATCH_SIZE, exclude);
    }

    /**
     * Deletes the key {@code prefix} and every key {@code prefix:*}, except the {@code exclude}d keys,
     * in UNLINK commands of at most {@code batchSize} keys. Glob characters in the prefix are taken
     * literally. SCAN (never KEYS) and UNLINK are pipelined on one connection, so the server is kept
     * busy (about 1.5 s per million keys on loopback); UNLINK frees large values in the background.
     *
     * @return the number of keys deleted
     * @throws IllegalArgumentException if {@code prefix} is null or blank, or {@code batchSize <= 0}
     */
    public long deleteByPrefix(String prefix, int batchSize, String... exclude) {
        requirePrefix(prefix);
        requireBatchSize(batchSize);
        Set<String> excluded = exclude == null ? Set.of() : new HashSet<>(Arrays.asList(exclude));
        try (Connection connection = client.getPool().getResource()) {
            return new PrefixDeletion(prefix, excluded, batchSize, SCAN_COUNT).run(connection);
        }
    }

    /**
     * The keys {@code prefix:*} (not {@code prefix} itself), found by SCAN; each once, in no
     * particular order. Glob characters in the prefix are taken literally.
     *
     * @throws IllegalArgumentException if {@code prefix} is null or blank
     */
    public List<String> getByPrefix(String prefix) {
        requirePrefix(prefix);
        ScanParams params = new ScanParams().match(KeyPatterns.below(prefix)).count(SCAN_COUNT);
        // SCAN may return a key twice (when the table is resized during the scan)
        Set<String> keys = new LinkedHashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return new ArrayList<>(keys);
    }

    /** {@link #mgetBatched(List, int)} with batches of {@value #DEFAULT_BATCH_SIZE}. */
    public List<String> mgetBatched(List<String> keys) {
        return mgetBatched(keys, DEFAULT_BATCH_SIZE);
    }

    /**
     * The values of {@code keys}, in the same order, {@code null} for a missing key (or one that
     * is not a string), by pipelined MGETs of at most {@code batchSize} keys.
     *
     * @throws IllegalArgumentException if {@code keys} is or holds null, or {@code batchSize <= 0}
     */
    public List<String> mgetBatched(List<String> keys, int batchSize) {
        List<Response<List<String>>> replies = batched(keys, batchSize, Pipeline::mget);
        List<String> values = new ArrayList<>(keys.size());
        replies.forEach(reply -> values.addAll(reply.get()));
        return values;
    }

    /** {@link #existsBatched(List, int)} with batches of {@value #DEFAULT_BATCH_SIZE}. */
    public long existsBatched(List<String> keys) {
        return existsBatched(keys, DEFAULT_BATCH_SIZE);
    }

    /**
     * How many of {@code keys} exist, by pipelined EXISTS of at most {@code batchSize} keys; as with
     * EXISTS, a key listed twice counts twice.
     *
     * @throws IllegalArgumentException if {@code keys} is or holds null, or {@code batchSize <= 0}
     */
    public long existsBatched(List<String> keys, int batchSize) {
        return sum(batched(keys, batchSize, Pipeline::exists));
    }

    /** {@link #deleteBatched(List, int)} with batches of {@value #DEFAULT_BATCH_SIZE}. */
    public long deleteBatched(List<String> keys) {
        return deleteBatched(keys, DEFAULT_BATCH_SIZE);
    }

    /**
     * Deletes {@code keys} by pipelined UNLINK of at most {@code batchSize} keys (as DEL, but large
     * values are freed in the background).
     *
     * @return the number of keys that existed and were deleted
     * @throws IllegalArgumentException if {@code keys} is or holds null, or {@code batchSize <= 0}
     */
    public long deleteBatched(List<String> keys, int batchSize) {
        return sum(batched(keys, batchSize, Pipeline::unlink));
    }

    /** {@link #smembersMany(List, int)} with {@value #DEFAULT_SMEMBERS_BATCH_SIZE} commands per round trip. */
    public Map<String, Set<String>> smembersMany(List<String> keys) {
        return smembersMany(keys, DEFAULT_SMEMBERS_BATCH_SIZE);
    }

    /**
     * The members of each set in {@code keys} (an empty set for a missing key), in key order, by a
     * non-transactional pipeline of SMEMBERS read back every {@code batchSize} commands.
     *
     * @throws IllegalArgumentException if {@code keys} is or holds null, or {@code batchSize <= 0}
     */
    public Map<String, Set<String>> smembersMany(List<String> keys, int batchSize) {
        requireKeys(keys);
        requireBatchSize(batchSize);
        Map<String, Response<Set<String>>> replies = new LinkedHashMap<>();
        try (Pipeline pipeline = client.pipelined()) {
            int sent = 0;
            for (String key : keys) {
                replies.computeIfAbsent(key, pipeline::smembers);
                if (++sent % batchSize == 0) {
                    pipeline.sync();
                }
            }
            pipeline.sync();
        }
        Map<String, Set<String>> members = new LinkedHashMap<>();
        replies.forEach((key, reply) -> members.put(key, reply.get()));
        return members;
    }

    /** Sends {@code command} for each batch of keys, pipelined; the replies in batch order. */
    private <T> List<Response<T>> batched(List<String> keys, int batchSize, BatchCommand<T> command) {
        requireKeys(keys);
        requireBatchSize(batchSize);
        List<Response<T>> replies = new ArrayList<>(keys.size() / batchSize + 1);
        if (keys.isEmpty()) {
            return replies;
        }
        try (Pipeline pipeline = client.pipelined()) {
            for (int from = 0; from < keys.size(); from += batchSize) {
                String[] batch = keys.subList(from, Math.min(from + batchSize, keys.size())).toArray(String[]::new);
                replies.add(command.send(pipeline, batch));
                if (replies.size() % BATCHES_PER_SYNC == 0) {
                    pipeline.sync();
                }
            }
            pipeline.sync();
        }
        return replies;
    }

    /** One pipelined multi-key command. */
    @FunctionalInterface
    private interface BatchCommand<T> {
        Response<T> send(Pipeline pipeline, String[] keys);
    }

    private static long sum(List<Response<Long>> counts) {
        long total = 0;
        for (Response<Long> count : counts) {
            total += count.get();
        }
        return total;
    }

    private static void requirePrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("prefix must be a non-blank key prefix but was "
                    + (prefix == null ? "null" : "\"" + prefix + "\""));
        }
    }

    private static void requireKeys(List<String> keys) {
        if (keys == null) {
            throw new IllegalArgumentException("keys must be a list of keys but was null");
        }
        int index = 0;
        for (String key : keys) {
            if (key == null) {
                throw new IllegalArgumentException("keys must not hold null but keys[" + index + "] was null");
            }
            index++;
        }
    }

    private static void requireBatchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be at least 1 but was " + batchSize);
        }
    }
}
