package dev.dblayer.bench.jmh;

import java.io.BufferedOutputStream;
import java.io.FileWriter;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.dblayer.redis.RedisKeys;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * RedisKeys on a three-primary Redis Cluster of its own, each case against its baseline, interleaved
 * in every round: {@code deleteByPrefix("p")} of {@code keys} keys {@code p:*} spread over all slots
 * against the best shell equivalent (on every primary at once, {@code redis-cli --scan} piped into
 * pipelined single-key UNLINKs by {@code redis-cli --pipe}: a multi-key UNLINK across slots is refused
 * with CROSSSLOT, so {@code xargs redis-cli unlink} cannot work); and {@code mgetBatched} of
 * {@code mgetKeys} keys across slots against a GET per key, through the same {@code RedisClusterClient}.
 * Appends one JSON line per measurement to {@code out}. Filling is not timed.
 *
 * <p>Usage: {@code ClusterKeys out.jsonl keys rounds mgetKeys mgetCalls}.
 */
public final class ClusterKeys {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int keys = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int mgetKeys = Integer.parseInt(args[3]);
        int mgetCalls = Integer.parseInt(args[4]);
        try (PrivateCluster cluster = PrivateCluster.start(3);
                PrintWriter results = new PrintWriter(new FileWriter(out.toFile(), StandardCharsets.UTF_8, true), true)) {
            Set<HostAndPort> seeds = new LinkedHashSet<>();
            cluster.ports.forEach(port -> seeds.add(new HostAndPort("127.0.0.1", port)));
            Map<Integer, Path> fills = new HashMap<>();
            try (RedisClusterClient client = RedisClusterClient.builder().nodes(seeds).build()) {
                writeFillFiles(cluster, keys, fills);
                RedisKeys redisKeys = new RedisKeys(client);
                for (int round = 1; round <= rounds; round++) {
                    List<String> order = round % 2 == 1 ? List.of("dblayer", "shell") : List.of("shell", "dblayer");
                    for (String method : order) {
                        fill(cluster, fills, keys);
                        long start = System.nanoTime();
                        long deleted = method.equals("dblayer") ? redisKeys.deleteByPrefix("p") : shellDelete(cluster);
                        double ms = (System.nanoTime() - start) / 1e6;
                        long left = cluster.keys();
                        if (left != 0 || deleted != keys) {
                            throw new IllegalStateException(method + " deleted " + deleted + " of " + keys + ", " + left
                                    + " left");
                        }
                        results.println(String.format(java.util.Locale.ROOT,
                                "{\"kind\": \"cluster-delete\", \"method\": \"%s\", \"round\": %d, \"keys\": %d, \"ms\": %.1f}",
                                method, round, keys, ms));
                        System.out.printf("round %d delete %-7s %d keys %.0f ms%n", round, method, keys, ms);
                    }
                }
                mget(client, redisKeys, results, mgetKeys, mgetCalls, rounds);
            } finally {
                for (Path file : fills.values()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Into {@code files}: a RESP file of SET commands per primary, for the keys of the slots it serves. */
    private static void writeFillFiles(PrivateCluster cluster, int keys, Map<Integer, Path> files) throws Exception {
        int[] owners = cluster.slotOwners();
        Map<Integer, OutputStream> streams = new HashMap<>();
        for (int port : cluster.ports) {
            Path file = Files.createTempFile("bench-cluster-fill-" + port, ".resp");
            files.put(port, file);
            streams.put(port, new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        }
        for (int i = 0; i < keys; i++) {
            String key = "p:" + i;
            streams.get(owners[JedisClusterCRC16.getSlot(key)]).write(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n"
                    + key + "\r\n$1\r\nv\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        for (OutputStream stream : streams.values()) {
            stream.close();
        }
    }

    private static void fill(PrivateCluster cluster, Map<Integer, Path> files, int keys) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int port : cluster.ports) {
            script.append("redis-cli -h 127.0.0.1 -p ").append(port).append(" --pipe < ").append(files.get(port))
                    .append(" > /dev/null & ");
        }
        PrivateRedis.shell(script + "wait");
        if (cluster.keys() != keys) {
            throw new IllegalStateException("filled " + cluster.keys() + " keys, wanted " + keys);
        }
    }

    /** The baseline: on every primary at once, SCAN piped into pipelined UNLINKs; answers the keys deleted. */
    private static long shellDelete(PrivateCluster cluster) throws Exception {
        long before = cluster.keys();
        StringBuilder script = new StringBuilder();
        for (int port : cluster.ports) {
            String cli = "redis-cli -h 127.0.0.1 -p " + port;
            script.append(cli).append(" --scan --pattern 'p:*' | LC_ALL=C awk '{printf \"*2\\r\\n$6\\r\\nUNLINK\\r\\n$%d\\r\\n%s\\r\\n\", length($0), $0}' | ")
                    .append(cli).append(" --pipe > /dev/null & ");
        }
        PrivateRedis.shell(script + "wait");
        return before - cluster.keys();
    }

    /** mgetBatched against a GET per key, the same keys (spread over the slots), interleaved per round. */
    private static void mget(RedisClusterClient client, RedisKeys redisKeys, PrintWriter results, int count,
            int calls, int rounds) {
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add("m:" + i);
            client.set("m:" + i, "value " + i);
        }
        for (int warm = 0; warm < calls; warm++) {
            redisKeys.mgetBatched(keys);
            getPerKey(client, keys);
        }
        for (int round = 1; round <= rounds; round++) {
            for (String method : List.of("dblayer", "get")) {
                long start = System.nanoTime();
                for (int call = 0; call < calls; call++) {
                    List<String> values = method.equals("dblayer") ? redisKeys.mgetBatched(keys) : getPerKey(client, keys);
                    if (!values.get(count - 1).equals("value " + (count - 1))) {
                        throw new IllegalStateException(method + " read " + values.get(count - 1));
                    }
                }
                double ms = (System.nanoTime() - start) / 1e6 / calls;
                results.println(String.format(java.util.Locale.ROOT,
                        "{\"kind\": \"cluster-mget\", \"method\": \"%s\", \"round\": %d, \"keys\": %d, \"calls\": %d, \"ms\": %.3f}",
                        method, round, count, calls, ms));
                System.out.printf("round %d mget %-7s %d keys %.2f ms a call%n", round, method, count, ms);
            }
        }
    }

    private static List<String> getPerKey(RedisClusterClient client, List<String> keys) {
        List<String> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            values.add(client.get(key));
        }
        return values;
    }
}
