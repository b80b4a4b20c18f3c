package dev.dblayer.snowflake;

import java.util.List;
import java.util.Optional;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The Redis commands of a node lease. A lease is the key {@code PREFIX:nodes:DATACENTER:WORKER}
 * holding this node's token, with the node TTL; each command is atomic on its one key, so two
 * nodes can never both win one pair, and a node renews or releases only a lease that still holds
 * its own token. One key per command also keeps every command on one Redis Cluster slot.
 */
final class NodeLease {

    /** Renews the lease only while it still holds this node's token: 1 if renewed, 0 if not ours. */
    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    /** Deletes the lease only while it still holds this node's token. */
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";

    /** A won or renewed lease, and when the winning command was sent ({@link System#nanoTime()}). */
    record Claim(NodeId node, long sentNanos) {
    }

    private final UnifiedJedis redis;
    private final SnowflakeSettings settings;
    private final String token;

    NodeLease(UnifiedJedis redis, SnowflakeSettings settings, String token) {
        this.redis = redis;
        this.settings = settings;
        this.token = token;
    }

    /** The first free pair, in the order 0/0, 0/1, ... 31/31, won with {@code SET NX PX}; empty when all are held. */
    Optional<Claim> claimFirstFree() {
        SetParams params = SetParams.setParams().nx().px(settings.nodeTtl().toMillis());
        for (int index = 0; index < NodeId.PAIRS; index++) {
            NodeId node = NodeId.ofIndex(index);
            long sent = System.nanoTime();
            if ("OK".equals(redis.set(key(node), token, params))) {
                return Optional.of(new Claim(node, sent));
            }
        }
        return Optional.empty();
    }

    /** Renews {@code node}'s lease for another TTL; empty when it no longer holds this node's token. */
    Optional<Claim> renew(NodeId node) {
        long sent = System.nanoTime();
        Object renewed = redis.eval(RENEW, List.of(key(node)),
                List.of(token, Long.toString(settings.nodeTtl().toMillis())));
        return Long.valueOf(1).equals(renewed) ? Optional.of(new Claim(node, sent)) : Optional.empty();
    }

    /** Deletes {@code node}'s lease if it still holds this node's token. */
    void release(NodeId node) {
        redis.eval(RELEASE, List.of(key(node)), List.of(token));
    }

    private String key(NodeId node) {
        return settings.leaseKey(node.datacenterId(), node.workerId());
    }
}
