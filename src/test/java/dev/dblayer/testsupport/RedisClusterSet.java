package dev.dblayer.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;

/**
 * A private Redis Cluster on free loopback ports: three primaries and three replicas made by
 * {@code redis-cli --cluster create}, never the shared server. Every process is stopped by
 * {@link #close()}.
 */
public final class RedisClusterSet implements AutoCloseable {

    private final List<RedisServerProcess> nodes = new ArrayList<>();

    /** Starts six nodes with {@code cluster-node-timeout} {@code nodeTimeoutMillis} and joins them. */
    public RedisClusterSet(int nodeTimeoutMillis) {
        try {
            for (int i = 0; i < 6; i++) {
                nodes.add(RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", String.valueOf(nodeTimeoutMillis)));
            }
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
            command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
            awaitServing();
        } catch (IOException e) {
            close();
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Waits until every running node says {@code cluster_state:ok} and every replica is in sync. */
    public void awaitServing() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (RedisServerProcess node : running()) {
                try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                    ok &= jedis.clusterInfo().contains("cluster_state:ok");
                    String replication = jedis.info("replication");
                    ok &= replication.contains("role:master") || replication.contains("master_link_status:up");
                } catch (RuntimeException e) {
                    ok = false;
                }
            }
            if (ok) {
                return;
            }
            RedisSentinelSet.sleep(200);
        }
        throw new IllegalStateException("the cluster was not serving within 60 s");
    }

    private List<RedisServerProcess> running() {
        List<RedisServerProcess> running = new ArrayList<>();
        for (RedisServerProcess node : nodes) {
            if (node.running()) {
                running.add(node);
            }
        }
        return running;
    }

    /** The seeds, as {@code redis.cluster.nodes} takes them: every node. */
    public String seeds() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /** A node that is a primary now. */
    public RedisServerProcess aPrimary() {
        for (RedisServerProcess node : running()) {
            try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                if (jedis.info("replication").contains("role:master")) {
                    return node;
                }
            }
        }
        throw new IllegalStateException("no primary is running");
    }

    /** Every node. */
    public List<RedisServerProcess> nodes() {
        return nodes;
    }

    @Override
    public void close() {
        for (RedisServerProcess node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                // go on stopping the others
            }
        }
    }
}
