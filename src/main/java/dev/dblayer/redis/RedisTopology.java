package dev.dblayer.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.dblayer.internal.Checks;
import dev.dblayer.internal.Hosts;
import dev.dblayer.internal.SettingsReader;

/**
 * Which Redis deployment the client talks to: one server ({@code redis.host}/{@code redis.url}),
 * a primary found through Sentinel ({@code redis.sentinel.master} and {@code redis.sentinel.nodes}),
 * or a Redis Cluster ({@code redis.cluster.nodes}). Immutable; checked when built, with messages
 * naming the key. {@link #toString()} never shows the sentinel password.
 *
 * @param mode             the mode the settings select
 * @param sentinelMaster   {@code redis.sentinel.master}: the name the sentinels monitor; only in Sentinel mode
 * @param nodes            {@code redis.sentinel.nodes} (the sentinels) or {@code redis.cluster.nodes} (seeds);
 *                         empty in standalone mode
 * @param sentinelUsername {@code redis.sentinel.username}: the sentinels' ACL user; only in Sentinel mode
 * @param sentinelPassword {@code redis.sentinel.password}: the sentinels' password, default empty; never logged
 */
public record RedisTopology(Mode mode, Optional<String> sentinelMaster, List<Node> nodes,
        Optional<String> sentinelUsername, String sentinelPassword) {

    public static final String SENTINEL_MASTER = "redis.sentinel.master";
    public static final String SENTINEL_NODES = "redis.sentinel.nodes";
    public static final String SENTINEL_USERNAME = "redis.sentinel.username";
    public static final String SENTINEL_PASSWORD = "redis.sentinel.password";
    public static final String CLUSTER_NODES = "redis.cluster.nodes";

    static final String NODES_ALLOWED = "a comma-separated list of host:port (a host name or IP address, "
            + "IPv6 in brackets, and a port 1-65535)";
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** The three ways of reaching Redis. */
    public enum Mode {
        /** One server: {@code redis.host} and {@code redis.port}, or {@code redis.url}. */
        STANDALONE,
        /** The primary that the sentinels name, followed through failovers. */
        SENTINEL,
        /** A Redis Cluster: keys spread over 16384 hash slots on several primaries. */
        CLUSTER;

        /** The name used in health data and logs: {@code standalone}, {@code sentinel}, {@code cluster}. */
        public String label() {
            return SettingsReader.settingName(this);
        }
    }

    /**
     * One {@code host:port}; checked when built.
     *
     * @param host a host name or IP address, without brackets or port
     * @param port 1 to 65535
     */
    public record Node(String host, int port) {

        /** Checks both values. */
        public Node {
            Hosts.check("redis node host", host);
            Hosts.port("redis node port", port);
        }

        /** {@code host:port}, an IPv6 host in brackets. */
        @Override
        public String toString() {
            return Hosts.withPort(host, port);
        }
    }

    /** Checks every value; see the class documentation. */
    public RedisTopology {
        Checks.given("redis mode", mode);
        Checks.given(SENTINEL_MASTER, sentinelMaster);
        nodes = List.copyOf(Checks.given(SENTINEL_NODES, nodes));
        Checks.given(SENTINEL_USERNAME, sentinelUsername);
        Checks.given(SENTINEL_PASSWORD, sentinelPassword);
        switch (mode) {
            case STANDALONE -> {
                if (!nodes.isEmpty() || sentinelMaster.isPresent()) {
                    throw new IllegalArgumentException("standalone mode takes no " + SENTINEL_MASTER
                            + " and no nodes; set " + SENTINEL_MASTER + " and " + SENTINEL_NODES + " for Sentinel or "
                            + CLUSTER_NODES + " for Cluster");
                }
            }
            case SENTINEL -> {
                String master = sentinelMaster.orElseThrow(() -> new IllegalArgumentException(SENTINEL_NODES
                        + " is set but " + SENTINEL_MASTER + " is not; Sentinel mode needs both"));
                Checks.matching(SENTINEL_MASTER, master, MASTER_NAME, "1 to 128 letters, digits, '.', '_' or '-'");
                if (nodes.isEmpty()) {
                    throw new IllegalArgumentException(SENTINEL_MASTER + " is set but " + SENTINEL_NODES
                            + " is not; Sentinel mode needs both");
                }
            }
            case CLUSTER -> {
                if (nodes.isEmpty()) {
                    throw new IllegalArgumentException("Cluster mode needs at least one node in " + CLUSTER_NODES);
                }
                if (sentinelMaster.isPresent() || sentinelUsername.isPresent() || !sentinelPassword.isEmpty()) {
                    throw both();
                }
            }
        }
    }

    /** Standalone: one server. */
    public static RedisTopology standalone() {
        return new RedisTopology(Mode.STANDALONE, Optional.empty(), List.of(), Optional.empty(), "");
    }

    /** Sentinel mode: the primary {@code master} as the {@code sentinels} name it; sentinels without auth. */
    public static RedisTopology sentinel(String master, List<Node> sentinels) {
        return new RedisTopology(Mode.SENTINEL, Optional.of(master), sentinels, Optional.empty(), "");
    }

    /** Cluster mode, discovered from the {@code seeds}. */
    public static RedisTopology cluster(List<Node> seeds) {
        return new RedisTopology(Mode.CLUSTER, Optional.empty(), seeds, Optional.empty(), "");
    }

    /** Reads the mode's keys; refuses both modes at once and a malformed node, naming the key. */
    static RedisTopology read(SettingsReader config) {
        boolean sentinel = config.isSet(SENTINEL_MASTER) || config.isSet(SENTINEL_NODES);
        boolean cluster = config.isSet(CLUSTER_NODES);
        if (sentinel && cluster) {
            throw both();
        }
        if (!sentinel && (config.isSet(SENTINEL_USERNAME) || config.isSet(SENTINEL_PASSWORD))) {
            throw new IllegalArgumentException((config.isSet(SENTINEL_USERNAME) ? SENTINEL_USERNAME : SENTINEL_PASSWORD)
                    + " is set but Sentinel mode is not selected; set " + SENTINEL_MASTER + " and " + SENTINEL_NODES);
        }
        if (cluster) {
            return cluster(nodes(CLUSTER_NODES, config.string(CLUSTER_NODES).orElse("")));
        }
        if (sentinel) {
            List<Node> sentinels = nodes(SENTINEL_NODES, config.string(SENTINEL_NODES).orElse(""));
            Optional<String> master = config.string(SENTINEL_MASTER);
            return config.validated(() -> new RedisTopology(Mode.SENTINEL, master, sentinels,
                    config.string(SENTINEL_USERNAME), config.secret(SENTINEL_PASSWORD)));
        }
        return standalone();
    }

    /** Parses {@code host:port,host:port}; the whole value is quoted when one entry is malformed. */
    static List<Node> nodes(String key, String value) {
        List<Node> parsed = new ArrayList<>();
        for (String entry : value.split(",", -1)) {
            parsed.add(node(key, value, entry.trim()));
        }
        return parsed;
    }

    private static Node node(String key, String value, String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw SettingsReader.invalid(key, value, NODES_ALLOWED);
        }
        String host = entry.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw SettingsReader.invalid(key, value, NODES_ALLOWED); // IPv6 needs brackets before a port
        }
        try {
            return new Node(host, Integer.parseInt(entry.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw SettingsReader.invalid(key, value, NODES_ALLOWED);
        }
    }

    private static IllegalArgumentException both() {
        return new IllegalArgumentException(CLUSTER_NODES + " and " + SENTINEL_MASTER + "/" + SENTINEL_NODES
                + " are both set; choose Cluster mode (" + CLUSTER_NODES + ") or Sentinel mode, not both");
    }

    @Override
    public String toString() {
        return "RedisTopology[mode=" + mode.label() + sentinelMaster.map(m -> ", master=" + m).orElse("")
                + ", nodes=" + nodes + sentinelUsername.map(u -> ", sentinelUsername=" + u).orElse("")
                + (mode == Mode.SENTINEL ? ", sentinelPassword=" + (sentinelPassword.isEmpty() ? "(empty)" : "(set)") : "")
                + "]";
    }
}
