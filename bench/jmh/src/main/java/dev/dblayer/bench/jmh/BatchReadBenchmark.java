package dev.dblayer.bench.jmh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.dblayer.redis.RedisKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.RedisClient;

/**
 * Case d: reading {@link #count} strings by mgetBatched and {@link #count} sets by smembersMany,
 * against one GET or SMEMBERS per key, each waiting for its reply.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BatchReadBenchmark {

    @Param("1000")
    public int count;

    private PrivateRedis redis;
    private RedisClient client;
    private RedisKeys redisKeys;
    private List<String> strings;
    private List<String> sets;

    @Setup
    public void start() throws Exception {
        redis = PrivateRedis.start();
        client = RedisClient.create("127.0.0.1", redis.port);
        redisKeys = new RedisKeys(client);
        strings = new ArrayList<>(count);
        sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add("s:" + i);
            client.set("s:" + i, "value " + i);
            sets.add("m:" + i);
            client.sadd("m:" + i, "a" + i, "b" + i, "c" + i, "d" + i, "e" + i);
        }
    }

    @TearDown
    public void stop() throws Exception {
        client.close();
        redis.close();
    }

    @Benchmark
    public List<String> dblayerMgetBatched() {
        return redisKeys.mgetBatched(strings);
    }

    @Benchmark
    public List<String> getPerKey() {
        List<String> values = new ArrayList<>(strings.size());
        for (String key : strings) {
            values.add(client.get(key));
        }
        return values;
    }

    @Benchmark
    public Map<String, Set<String>> dblayerSmembersMany() {
        return redisKeys.smembersMany(sets);
    }

    @Benchmark
    public Map<String, Set<String>> smembersPerKey() {
        Map<String, Set<String>> members = new LinkedHashMap<>();
        for (String key : sets) {
            members.put(key, client.smembers(key));
        }
        return members;
    }
}
