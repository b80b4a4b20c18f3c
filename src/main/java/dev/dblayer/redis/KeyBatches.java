package dev.dblayer.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The batched commands of {@link RedisKeys}: keys cut into batches of at most {@code batchSize},
 * sent pipelined ({@code client.pipelined()}: one connection, or in a cluster one per node) and read
 * back every {@value #BATCHES_PER_SYNC} batches. In a cluster a batch holds keys of one hash slot
 * (a command's keys must share one), and a batch whose pipelined reply failed (a MOVED or ASK
 * redirect, a node lost in a failover) is sent again on its own through the client, which follows
 * redirects and waits out a failover. Thread-safe.
 */
final class KeyBatches {

    /** Batches sent before reading their replies, so neither side buffers unbounded data. */
    private static final int BATCHES_PER_SYNC = 64;

    private final UnifiedJedis client;
    private final boolean cluster;

    KeyBatches(UnifiedJedis client, boolean cluster) {
        this.client = client;
        this.cluster = cluster;
    }

    /** Keys of one batch and their positions in the caller's list. */
    private record Batch(String[] keys, int[] positions) {
    }

    /** One command over a batch, pipelined and direct. */
    private record Command<T>(BiFunction<AbstractPipeline, String[], Response<T>> pipelined,
            BiFunction<UnifiedJedis, String[], T> direct) {
    }

    List<String> mget(List<String> keys, int batchSize) {
        List<Batch> split = split(keys, batchSize);
        List<List<String>> replies = run(split, new Command<>(AbstractPipeline::mget, UnifiedJedis::mget));
        String[] values = new String[keys.size()];
        for (int b = 0; b < split.size(); b++) {
            int[] positions = split.get(b).positions();
            List<String> reply = replies.get(b);
            for (int i = 0; i < positions.length; i++) {
                values[positions[i]] = reply.get(i);
            }
        }
        return Arrays.asList(values);
    }

    /** EXISTS ({@code unlink} false) or UNLINK counts, summed. */
    long count(List<String> keys, int batchSize, boolean unlink) {
        Command<Long> command = unlink ? new Command<>(AbstractPipeline::unlink, UnifiedJedis::unlink)
                : new Command<>(AbstractPipeline::exists, UnifiedJedis::exists);
        long total = 0;
        for (Long count : run(split(keys, batchSize), command)) {
            total += count;
        }
        return total;
    }

    /** SMEMBERS of each (distinct) key, read back every {@code perSync} commands. */
    Map<String, Set<String>> smembers(List<String> distinctKeys, int perSync) {
        List<Batch> single = new ArrayList<>(distinctKeys.size());
        for (int i = 0; i < distinctKeys.size(); i++) {
            single.add(new Batch(new String[] {distinctKeys.get(i)}, new int[] {i}));
        }
        List<Set<String>> replies = run(single, perSync, new Command<>(
                (pipeline, key) -> pipeline.smembers(key[0]), (direct, key) -> direct.smembers(key[0])));
        Map<String, Set<String>> members = new LinkedHashMap<>();
        for (int i = 0; i < distinctKeys.size(); i++) {
            members.put(distinctKeys.get(i), replies.get(i));
        }
        return members;
    }

    private <T> List<T> run(List<Batch> split, Command<T> command) {
        return run(split, BATCHES_PER_SYNC, command);
    }

    private <T> List<T> run(List<Batch> split, int perSync, Command<T> command) {
        List<Response<T>> responses = new ArrayList<>(split.size());
        if (split.isEmpty()) {
            return List.of();
        }
        RuntimeException pipelineFailure = null;
        try (AbstractPipeline pipeline = client.pipelined()) {
            for (Batch batch : split) {
                responses.add(command.pipelined().apply(pipeline, batch.keys()));
                if (responses.size() % perSync == 0) {
                    pipeline.sync();
                }
            }
            pipeline.sync();
        } catch (RuntimeException e) {
            if (!cluster) {
                throw e;
            }
            pipelineFailure = e;
        }
        List<T> replies = new ArrayList<>(split.size());
        for (int b = 0; b < split.size(); b++) {
            replies.add(reply(b < responses.size() ? responses.get(b) : null, split.get(b), command, pipelineFailure));
        }
        return replies;
    }

    private <T> T reply(Response<T> response, Batch batch, Command<T> command, RuntimeException pipelineFailure) {
        if (response != null) {
            try {
                return response.get();
            } catch (RuntimeException e) {
                if (!cluster) {
                    throw e;
                }
            }
        } else if (!cluster) {
            throw pipelineFailure;
        }
        return command.direct().apply(client, batch.keys());
    }

    /** Batches of at most {@code batchSize} keys in list order; in a cluster, per hash slot. */
    private List<Batch> split(List<String> keys, int batchSize) {
        List<Batch> batches = new ArrayList<>(keys.size() / batchSize + 1);
        if (!cluster) {
            for (int from = 0; from < keys.size(); from += batchSize) {
                int to = Math.min(from + batchSize, keys.size());
                int[] positions = new int[to - from];
                for (int i = 0; i < positions.length; i++) {
                    positions[i] = from + i;
                }
                batches.add(new Batch(keys.subList(from, to).toArray(String[]::new), positions));
            }
            return batches;
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            bySlot.computeIfAbsent(JedisClusterCRC16.getSlot(keys.get(i)), slot -> new ArrayList<>()).add(i);
        }
        for (List<Integer> positions : bySlot.values()) {
            for (int from = 0; from < positions.size(); from += batchSize) {
                List<Integer> part = positions.subList(from, Math.min(from + batchSize, positions.size()));
                batches.add(new Batch(part.stream().map(keys::get).toArray(String[]::new),
                        part.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        return batches;
    }
}
