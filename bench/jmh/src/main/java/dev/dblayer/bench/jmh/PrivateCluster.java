package dev.dblayer.bench.jmh;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import redis.clients.jedis.Jedis;

/**
 * A Redis Cluster of the benchmark's own: three primaries, no replicas, on free loopback ports,
 * without persistence, joined by {@code redis-cli --cluster create}; never the shared server.
 */
final class PrivateCluster implements AutoCloseable {

    final List<Integer> ports = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path dir;

    private PrivateCluster(Path dir) {
        this.dir = dir;
    }

    static PrivateCluster start(int primaries) throws IOException, InterruptedException {
        PrivateCluster cluster = new PrivateCluster(Files.createTempDirectory("bench-cluster"));
        try {
            for (int i = 0; i < primaries; i++) {
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                Path nodeDir = Files.createDirectory(cluster.dir.resolve(String.valueOf(port)));
                cluster.processes.add(new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind",
                        "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", nodeDir.toString(),
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                cluster.ports.add(port);
                awaitListening(port);
            }
            StringBuilder create = new StringBuilder("redis-cli --cluster create");
            cluster.ports.forEach(port -> create.append(" 127.0.0.1:").append(port));
            PrivateRedis.shell(create + " --cluster-replicas 0 --cluster-yes");
            cluster.awaitServing();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s");
    }

    private void awaitServing() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            boolean ok = true;
            for (int port : ports) {
                try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                    ok &= jedis.clusterInfo().contains("cluster_state:ok");
                }
            }
            if (ok) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the cluster was not serving within 30 s");
    }

    /** The port of the primary that serves each of the 16384 slots, from {@code CLUSTER NODES}. */
    int[] slotOwners() {
        int[] owners = new int[16384];
        try (Jedis jedis = new Jedis("127.0.0.1", ports.get(0))) {
            for (String line : jedis.clusterNodes().split("\n")) {
                String[] fields = line.trim().split(" ");
                if (fields.length < 9 || !fields[2].contains("master")) {
                    continue;
                }
                int port = Integer.parseInt(fields[1].substring(fields[1].lastIndexOf(':') + 1, fields[1].indexOf('@')));
                for (int f = 8; f < fields.length; f++) {
                    if (fields[f].startsWith("[")) {
                        continue; // a slot being migrated
                    }
                    String[] range = fields[f].split("-");
                    int from = Integer.parseInt(range[0]);
                    int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                    for (int slot = from; slot <= to; slot++) {
                        owners[slot] = port;
                    }
                }
            }
        }
        return owners;
    }

    /** Keys on all primaries. */
    long keys() {
        long total = 0;
        for (int port : ports) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                total += jedis.dbSize();
            }
        }
        return total;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
