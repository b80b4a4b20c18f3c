package dev.dblayer.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import dev.dblayer.internal.Tracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;

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
 * <p>Works the same in every mode (standalone, Sentinel, Cluster). Each call pipelines its commands
 * on one pooled connection per node, not transactionally: other clients can see and change keys in
 * between. Batch sizes bound the number of keys per command, which bounds how long each command
 * holds up the (single-threaded) server. In a cluster, batches hold keys of one hash slot, and a
 * prefix scan visits every primary; a primary that fails or changes during a prefix scan is scanned
 * again once the failover is over (for at most {@link #FAILOVER_WAIT}); see {@code docs/redis.md}
 * for the guarantees. Thread-safe.
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
    /**
     * How long a prefix scan waits for a failover or resharding to settle before it gives up on the
     * slots still unserved (Sentinel, Cluster): longer than a failover with the sentinels' or the
     * cluster's usual timeouts takes.
     */
    public static final Duration FAILOVER_WAIT = Duration.ofSeconds(60);

    /** The spans of the helpers, and their attributes. */
    static final String SPAN_PREFIX = "dblayer.redis.";
    static final String KEYS = "dblayer.redis.keys";
    static final String BATCH_SIZE = "dblayer.redis.batch_size";

    private final KeySpace keySpace;
    private final KeyBatches batches;
    private final Supplier<Tracing> tracing;

    /** For CDI's proxy. */
    protected RedisKeys() {
        this.keySpace = null;
        this.batches = null;
        this.tracing = null;
    }

    /**
     * Helpers over {@code client}, which stays owned (and closed) by the caller: a
     * {@code RedisClient}, {@code RedisSentinelClient} or {@code RedisClusterClient} (dblayer's
     * injected {@code UnifiedJedis} is one of them).
     *
     * @throws IllegalArgumentException for another kind of {@code UnifiedJedis}
     */
    public RedisKeys(UnifiedJedis client) {
        this(client, FAILOVER_WAIT, () -> Tracing.NONE);
    }

    /** dblayer's: over its client, each helper a span when the application has MicroProfile Telemetry. */
    @Inject
    RedisKeys(UnifiedJedis client, Redis redis) {
        this(client, FAILOVER_WAIT, redis::tracing);
    }

    RedisKeys(UnifiedJedis client, Duration failoverWait) {
        this(client, failoverWait, () -> Tracing.NONE);
    }

    private RedisKeys(UnifiedJedis client, Duration failoverWait, Supplier<Tracing> tracing) {
        this.keySpace = KeySpace.of(client, failoverWait);
        this.batches = new KeyBatches(client, keySpace.cluster());
        this.tracing = tracing;
    }

    /** Runs {@code work} in a span named after {@code helper}, with the keys it counts and the batch size. */
    private <T> T traced(String helper, int batchSize, Supplier<T> work, ToLongFunction<T> keys) {
        try (Tracing.Span span = tracing.get().start(SPAN_PREFIX + helper)) {
            span.attribute(BATCH_SIZE, batchSize);
            try {
                T result = work.get();
                span.attribute(KEYS, keys.applyAsLong(result));
                return result;
            } catch (RuntimeException e) {
                span.failed(e);
                throw e;
            }
        }
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
        excluded.remove(null);
        return traced("deleteByPrefix", batchSize, () -> keySpace.deleteByPrefix(prefix, excluded, batchSize),
                Long::longValue);
    }

    /**
     * The keys {@code prefix:*} (not {@code prefix} itself), found by SCAN; each once, in no
     * particular order. Glob characters in the prefix are taken literally.
     *
     * @throws IllegalArgumentException if {@code prefix} is null or blank
     */
    public List<String> getByPrefix(String prefix) {
        requirePrefix(prefix);
        // a set: SCAN may return a key twice (the table resized), and a rescanned primary does
        return traced("getByPrefix", 0, () -> new ArrayList<>(keySpace.keysBelow(prefix)), List::size);
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
        requireKeys(keys);
        requireBatchSize(batchSize);
        return traced("mgetBatched", batchSize, () -> batches.mget(keys, batchSize), List::size);
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
        requireKeys(keys);
        requireBatchSize(batchSize);
        return traced("existsBatched", batchSize, () -> batches.count(keys, batchSize, false), Long::longValue);
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
        requireKeys(keys);
        requireBatchSize(batchSize);
        return traced("deleteBatched", batchSize, () -> batches.count(keys, batchSize, true), Long::longValue);
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
        return traced("smembersMany", batchSize,
                () -> batches.smembers(new ArrayList<>(new java.util.LinkedHashSet<>(keys)), batchSize), Map::size);
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
