package dev.dblayer.redis;

import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisClusterOperationException;

/**
 * Prefix scans over a Redis Cluster: SCAN on every primary (never a replica), each once per round.
 *
 * <p>A round reads the slot map ({@link ClusterView}), scans each primary that serves a slot not yet
 * covered, then reads the map again. A primary's scan covers the slots it served, settled, in both
 * readings, answering the second (and, for deletion, whose UNLINKs were not redirected). Slots not covered (their primary
 * failed during its scan, or they moved, or were migrating) get another round on their current
 * primary, from cursor 0, until every slot is covered or {@code failoverWait} runs out, which
 * throws {@link JedisClusterOperationException} naming the slots left. Not thread-safe per call.
 */
final class ClusterKeySpace extends KeySpace {

    private final RedisClusterClient client;

    ClusterKeySpace(RedisClusterClient client, Duration failoverWait) {
        super(failoverWait);
        this.client = client;
    }

    @Override
    boolean cluster() {
        return true;
    }

    /** What one primary's scan does; answers the slots it could not finish (redirected UNLINKs). */
    @FunctionalInterface
    private interface NodeScan {
        BitSet run(Connection connection);
    }

    @Override
    long deleteByPrefix(String prefix, Set<String> excluded, int batchSize) {
        long[] deleted = {0};
        covering("deleteByPrefix(\"" + prefix + "\")", () -> deleted[0] + " keys deleted", connection -> {
            PrefixDeletion run = new PrefixDeletion(prefix, excluded, batchSize, RedisKeys.SCAN_COUNT, true);
            try {
                run.run(connection);
            } finally {
                deleted[0] += run.deletedSoFar(); // what the node confirmed, even if it failed afterwards
            }
            return run.redirectedSlots();
        });
        if (!excluded.contains(prefix)) {
            deleted[0] += client.unlink(prefix); // routed to its slot's primary, with the client's retries
        }
        return deleted[0];
    }

    @Override
    Set<String> keysBelow(String prefix) {
        Set<String> keys = new LinkedHashSet<>();
        covering("getByPrefix(\"" + prefix + "\")", () -> keys.size() + " keys found", connection -> {
            scanInto(connection, prefix, keys);
            return new BitSet();
        });
        return keys;
    }

    private void covering(String call, java.util.function.Supplier<String> soFar, NodeScan scan) {
        BitSet uncovered = new BitSet(ClusterView.SLOTS);
        uncovered.set(0, ClusterView.SLOTS);
        long deadline = System.nanoTime() + failoverWait.toNanos();
        while (true) {
            ClusterView before = ClusterView.read(client);
            Map<String, BitSet> plan = plan(before, uncovered);
            Map<String, BitSet> done = new LinkedHashMap<>();
            plan.forEach((node, slots) -> {
                BitSet unfinished = scanNode(before.address(node), scan);
                if (unfinished != null) {
                    BitSet finished = (BitSet) slots.clone();
                    finished.andNot(unfinished);
                    done.put(node, finished);
                }
            });
            ClusterView after = ClusterView.read(client);
            // a primary that no longer answers may have died before its deletions reached its replica
            done.forEach((node, slots) -> slots.stream()
                    .filter(slot -> node.equals(after.owner(slot)) && after.answered(node))
                    .forEach(uncovered::clear));
            if (uncovered.isEmpty()) {
                return;
            }
            if (!pauseUntil(deadline)) {
                throw new JedisClusterOperationException(call + " did not visit every slot: " + soFar.get()
                        + ", but slots " + ranges(uncovered) + " had no settled, reachable primary within "
                        + failoverWait.toSeconds() + " s (a failover or resharding still under way); keys in them"
                        + " may remain");
            }
            client.refreshClusterTopology();
        }
    }

    /** Primary id to the uncovered slots it serves, settled. */
    private static Map<String, BitSet> plan(ClusterView view, BitSet uncovered) {
        Map<String, BitSet> plan = new LinkedHashMap<>();
        uncovered.stream().forEach(slot -> {
            String owner = view.owner(slot);
            if (owner != null) {
                plan.computeIfAbsent(owner, id -> new BitSet()).set(slot);
            }
        });
        return plan;
    }

    /** Runs {@code scan} on the node at {@code address}; null when it could not be reached or failed. */
    private BitSet scanNode(String address, NodeScan scan) {
        ConnectionPool pool = address == null ? null : client.getClusterNodes().get(address);
        if (pool == null) {
            client.refreshClusterTopology();
            pool = address == null ? null : client.getClusterNodes().get(address);
        }
        if (pool == null) {
            return null;
        }
        try (Connection connection = pool.getResource()) {
            return scan.run(connection);
        } catch (RuntimeException e) {
            return null; // failed during its scan: its slots stay uncovered for the next round
        }
    }

    /** {@code 0-5460,10923} for messages. */
    static String ranges(BitSet slots) {
        StringBuilder text = new StringBuilder();
        for (int from = slots.nextSetBit(0); from >= 0; from = slots.nextSetBit(from)) {
            int to = slots.nextClearBit(from) - 1;
            text.append(text.length() == 0 ? "" : ",").append(from).append(to > from ? "-" + to : "");
            from = to + 1;
        }
        return text.toString();
    }
}
