package dev.dblayer.snowflake;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import dev.dblayer.internal.Checks;
import dev.dblayer.internal.SettingsReader;

/**
 * The {@code snowflake.*} settings, read once when the generator starts. Immutable; valid however
 * built, since the constructor checks every value and throws {@link IllegalArgumentException}
 * naming the key, the value and what is allowed.
 *
 * @param datacenterId      {@code snowflake.datacenter-id}: 0 to 31; with {@code workerId}, a fixed node id
 * @param workerId          {@code snowflake.worker-id}: 0 to 31; set both or neither. Neither: the node
 *                          leases a free pair from Redis
 * @param redisPrefix       {@code snowflake.redis-prefix}: the leases are the keys
 *                          {@code PREFIX:nodes:DATACENTER:WORKER}; default {@value #DEFAULT_REDIS_PREFIX}
 * @param nodeTtl           {@code snowflake.node-ttl}: how long a lease lasts unless renewed, at least 2 s;
 *                          default {@link #DEFAULT_NODE_TTL} (60 s)
 * @param heartbeatInterval {@code snowflake.heartbeat-interval}: how often the lease is renewed, from
 *                          100 ms to half the TTL; default {@link #DEFAULT_HEARTBEAT_INTERVAL} (30 s)
 */
public record SnowflakeSettings(OptionalInt datacenterId, OptionalInt workerId, String redisPrefix,
        Duration nodeTtl, Duration heartbeatInterval) {

    public static final String DATACENTER_ID = "snowflake.datacenter-id";
    public static final String WORKER_ID = "snowflake.worker-id";
    public static final String REDIS_PREFIX = "snowflake.redis-prefix";
    public static final String NODE_TTL = "snowflake.node-ttl";
    public static final String HEARTBEAT_INTERVAL = "snowflake.heartbeat-interval";

    static final String DEFAULT_REDIS_PREFIX = "fba:snowflake";
    static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(60);
    static final Duration MIN_NODE_TTL = Duration.ofSeconds(2);
    static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofMillis(100);

    private static final Pattern PREFIX = Pattern.compile("[^\\s*?\\[\\]]{1,200}");

    /** Checks every value; see the class documentation. */
    public SnowflakeSettings {
        Checks.given(DATACENTER_ID, datacenterId);
        Checks.given(WORKER_ID, workerId);
        if (datacenterId.isPresent() != workerId.isPresent()) {
            String set = datacenterId.isPresent() ? DATACENTER_ID : WORKER_ID;
            int value = datacenterId.isPresent() ? datacenterId.getAsInt() : workerId.getAsInt();
            throw new IllegalArgumentException(DATACENTER_ID + " and " + WORKER_ID + " must be set together (a fixed"
                    + " node id) or neither (a node id leased from Redis), but only " + set + " is set (\"" + value
                    + "\")");
        }
        datacenterId.ifPresent(id -> Checks.range(DATACENTER_ID, id, 0, SnowflakeId.MAX_NODE_PART));
        workerId.ifPresent(id -> Checks.range(WORKER_ID, id, 0, SnowflakeId.MAX_NODE_PART));
        Checks.matching(REDIS_PREFIX, redisPrefix, PREFIX,
                "a Redis key prefix of 1 to 200 characters without spaces or glob characters (* ? [ ])");
        Checks.atLeast(NODE_TTL, nodeTtl, MIN_NODE_TTL);
        Checks.atLeast(HEARTBEAT_INTERVAL, heartbeatInterval, MIN_HEARTBEAT_INTERVAL);
        if (heartbeatInterval.compareTo(nodeTtl.dividedBy(2)) > 0) {
            // Half the TTL leaves time for a second renewal when one fails.
            throw SettingsReader.invalid(HEARTBEAT_INTERVAL, heartbeatInterval,
                    "at most half of " + NODE_TTL + " (" + SettingsReader.format(nodeTtl) + ")");
        }
    }

    /** Reads the settings; the constructor checks them. */
    static SnowflakeSettings read(SettingsReader config) {
        OptionalInt datacenterId = optionalInteger(config, DATACENTER_ID);
        OptionalInt workerId = optionalInteger(config, WORKER_ID);
        String prefix = config.string(REDIS_PREFIX, DEFAULT_REDIS_PREFIX);
        Duration ttl = config.duration(NODE_TTL, DEFAULT_NODE_TTL);
        Duration heartbeat = config.duration(HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL);
        return config.validated(() -> new SnowflakeSettings(datacenterId, workerId, prefix, ttl, heartbeat));
    }

    private static OptionalInt optionalInteger(SettingsReader config, String key) {
        return config.isSet(key) ? OptionalInt.of(config.integer(key, 0)) : OptionalInt.empty();
    }

    /** Whether the node id is fixed by the settings (not leased). */
    public boolean fixedNode() {
        return datacenterId.isPresent();
    }

    /** The Redis key of the lease on one pair. */
    String leaseKey(int datacenter, int worker) {
        return redisPrefix + ":nodes:" + datacenter + ":" + worker;
    }
}
