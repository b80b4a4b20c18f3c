package dev.dblayer.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One readiness probe per mode, on connections of its own (outside the pool), kept open between
 * probes and reopened when broken: standalone PINGs the server; Sentinel asks a sentinel for the
 * primary, then asks that primary its {@code ROLE}, which must be {@code master}; Cluster asks a
 * node for {@code CLUSTER INFO}, which must say {@code cluster_state:ok} with all 16384 slots
 * served. Used from one thread at a time (the check's probe thread).
 */
final class ModeProbe implements RedisProbes.Probe {

    private static final Logger LOG = Logger.getLogger(ModeProbe.class.getName());

    private final RedisSettings settings;
    private final JedisClientConfig serverConfig;
    private final JedisClientConfig sentinelConfig;
    /** The server, the current primary, or the cluster node asked. */
    private Jedis server;
    private HostAndPort serverAddress;
    private Jedis sentinel;
    private String version = "unknown";

    ModeProbe(RedisSettings settings, Duration timeout) {
        this.settings = settings;
        this.serverConfig = withTimeout(RedisClients.clientConfig(settings), timeout);
        this.sentinelConfig = withTimeout(RedisClients.sentinelConfig(settings), timeout);
    }

    private static JedisClientConfig withTimeout(JedisClientConfig base, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return DefaultJedisClientConfig.builder().from(base).connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis).build();
    }

    @Override
    public Map<String, Object> check() {
        try {
            return switch (settings.mode()) {
                case STANDALONE -> standalone();
                case SENTINEL -> sentinel();
                case CLUSTER -> cluster();
            };
        } catch (RuntimeException e) {
            closeServer();
            throw e;
        }
    }

    private Map<String, Object> standalone() {
        connect(new HostAndPort(settings.host(), settings.port()));
        server.ping();
        return data("version", version);
    }

    private Map<String, Object> sentinel() {
        String master = settings.topology().sentinelMaster().orElseThrow();
        HostAndPort primary = askSentinels(master);
        connect(primary);
        List<Object> role = server.role();
        String answer = role.isEmpty() ? "nothing" : String.valueOf(role.get(0) instanceof byte[] bytes
                ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : role.get(0));
        if (!"master".equals(answer)) {
            throw new JedisException("the primary the sentinels name for " + master + ", " + primary
                    + ", answers ROLE as " + answer + ", not master (a failover under way)");
        }
        return data("master", master, "primary", primary.toString(), "version", version);
    }

    /** The primary's address from the first sentinel that knows {@code master}. */
    private HostAndPort askSentinels(String master) {
        RuntimeException last = null;
        for (int attempt = 0; attempt <= settings.topology().nodes().size(); attempt++) {
            try {
                if (sentinel == null) {
                    RedisTopology.Node node = settings.topology().nodes().get(
                            Math.max(0, attempt - 1) % settings.topology().nodes().size());
                    sentinel = new Jedis(new HostAndPort(node.host(), node.port()), sentinelConfig);
                }
                List<String> address = sentinel.sentinelGetMasterAddrByName(master);
                if (address == null || address.size() != 2) {
                    throw new JedisException("sentinel " + sentinel.getConnection() + " does not monitor " + master
                            + " (check " + RedisTopology.SENTINEL_MASTER + ")");
                }
                return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
            } catch (RuntimeException e) {
                last = e;
                closeSentinel();
            }
        }
        throw new JedisException("no sentinel of " + RedisTopology.SENTINEL_NODES + " named the primary of " + master
                + ": " + RedisProbes.describeFailure(last), last);
    }

    private Map<String, Object> cluster() {
        RuntimeException last = null;
        List<RedisTopology.Node> seeds = settings.topology().nodes();
        for (int attempt = 0; attempt <= seeds.size(); attempt++) {
            try {
                if (server == null) {
                    RedisTopology.Node node = seeds.get(Math.max(0, attempt - 1) % seeds.size());
                    connect(new HostAndPort(node.host(), node.port()));
                }
                return clusterState(server.clusterInfo());
            } catch (NotServing e) {
                throw e;
            } catch (JedisException e) {
                last = e;
                closeServer();
            }
        }
        throw new JedisException("no node of " + RedisTopology.CLUSTER_NODES + " answered CLUSTER INFO: "
                + RedisProbes.describeFailure(last), last);
    }

    private Map<String, Object> clusterState(String info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        String state = fields.getOrDefault("cluster_state", "unknown");
        String ok = fields.getOrDefault("cluster_slots_ok", "0");
        String assigned = fields.getOrDefault("cluster_slots_assigned", "0");
        if (!"ok".equals(state) || !"16384".equals(ok) || !"16384".equals(assigned)) {
            throw new NotServing("the cluster is not serving every slot: cluster_state:" + state
                    + ", cluster_slots_assigned:" + assigned + ", cluster_slots_ok:" + ok + " (of 16384), "
                    + "cluster_slots_pfail:" + fields.getOrDefault("cluster_slots_pfail", "?") + ", cluster_slots_fail:"
                    + fields.getOrDefault("cluster_slots_fail", "?") + ", as " + serverAddress + " sees it");
        }
        return data("node", serverAddress.toString(), "slotsOk", 16384, "knownNodes",
                fields.getOrDefault("cluster_known_nodes", "?"), "version", version);
    }

    /** A node answered, and the cluster is not serving: no other node to try. */
    private static final class NotServing extends JedisException {
        private static final long serialVersionUID = 1L;

        NotServing(String message) {
            super(message);
        }
    }

    /** (Re)opens {@link #server} on {@code address}, reading the server's version when it connects. */
    private void connect(HostAndPort address) {
        if (server != null && address.equals(serverAddress)) {
            return;
        }
        closeServer();
        Jedis opened = new Jedis(address, serverConfig);
        try {
            version = serverVersion(opened.info("server"));
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        server = opened;
        serverAddress = address;
    }

    private static String serverVersion(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "unknown";
    }

    private static Map<String, Object> data(Object... keysAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            data.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return data;
    }

    private void closeServer() {
        if (server != null) {
            quietly(server);
            server = null;
            serverAddress = null;
        }
    }

    private void closeSentinel() {
        if (sentinel != null) {
            quietly(sentinel);
            sentinel = null;
        }
    }

    private static void quietly(Jedis jedis) {
        try {
            jedis.close();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "dblayer: closing a Redis probe connection failed", e);
        }
    }

    @Override
    public void close() {
        closeServer();
        closeSentinel();
    }
}
