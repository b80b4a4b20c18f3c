package dev.dblayer.snowflake;

import java.util.Map;
import java.util.Optional;

import dev.dblayer.internal.SettingsReader;
import redis.clients.jedis.UnifiedJedis;

/** Node leases driven directly, for tests of the Redis modes in other packages. */
public final class Leases {

    private Leases() {
    }

    /**
     * Two nodes with their own tokens under {@code prefix}: the first claims 0/0, the second 0/1
     * (0/0 is held), the second cannot renew the first's lease, the first renews and releases its
     * own, after which 0/0 is free again. Answers what happened, as {@code "0/0 0/1 false true 0/0"}.
     */
    public static String claimRenewRelease(UnifiedJedis client, String prefix) {
        SnowflakeSettings settings = SnowflakeSettings.read(SettingsReader.of(Map.of("snowflake.redis-prefix", prefix)));
        NodeLease first = new NodeLease(client, settings, "token-a");
        NodeLease second = new NodeLease(client, settings, "token-b");
        NodeId a = first.claimFirstFree().orElseThrow().node();
        NodeId b = second.claimFirstFree().orElseThrow().node();
        boolean stolen = second.renew(a).isPresent();
        boolean renewed = first.renew(a).isPresent();
        first.release(a);
        NodeLease third = new NodeLease(client, settings, "token-c");
        Optional<NodeLease.Claim> again = third.claimFirstFree();
        String result = name(a) + " " + name(b) + " " + stolen + " " + renewed + " " + again.map(c -> name(c.node())).orElse("none");
        second.release(b);
        again.ifPresent(c -> third.release(c.node()));
        return result;
    }

    private static String name(NodeId node) {
        return node.datacenterId() + "/" + node.workerId();
    }
}
