package dev.dblayer.redis;

import dev.dblayer.internal.PoolEvents;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds Jedis's pooled client from {@link RedisSettings}, for the mode they select: a
 * {@link RedisClient}, a {@link RedisSentinelClient} or a {@link RedisClusterClient}; see
 * {@code docs/redis.md}.
 */
final class RedisClients {

    /**
     * Attempts of one Cluster command (Jedis's default): a MOVED or ASK redirect, or a connection
     * failure that makes the client re-read the slot map, each cost one.
     */
    static final int CLUSTER_MAX_ATTEMPTS = 5;

    private RedisClients() {
    }

    /**
     * A new client for the configured mode; the caller closes it. Standalone and Cluster connect
     * lazily; Cluster reads the slot map from a seed and Sentinel asks the sentinels for the primary
     * when built, and both throw {@code JedisException} when none answers.
     */
    static UnifiedJedis create(RedisSettings settings) {
        return create(settings, PoolEvents.NONE);
    }

    /** As {@link #create(RedisSettings)}; the standalone pool reports its events to {@code events}. */
    static UnifiedJedis create(RedisSettings settings, PoolEvents events) {
        return switch (settings.mode()) {
            case STANDALONE -> createStandalone(settings, events);
            case SENTINEL -> createSentinel(settings);
            case CLUSTER -> createCluster(settings);
        };
    }

    private static RedisSentinelClient createSentinel(RedisSettings settings) {
        RedisTopology topology = settings.topology();
        return RedisSentinelClient.builder()
                .masterName(topology.sentinelMaster().orElseThrow())
                .sentinels(addresses(topology))
                .clientConfig(clientConfig(settings))
                // Jedis listens for +switch-master on a subscription over this config: a read timeout
                // would break that connection every redis.timeout and a switch could be missed
                .sentinelClientConfig(DefaultJedisClientConfig.builder().from(sentinelConfig(settings))
                        .socketTimeoutMillis(0).build())
                .poolConfig(poolConfig(settings.pool()))
                .build();
    }

    private static RedisClusterClient createCluster(RedisSettings settings) {
        return RedisClusterClient.builder()
                .nodes(addresses(settings.topology()))
                .clientConfig(clientConfig(settings))
                .poolConfig(poolConfig(settings.pool()))
                .maxAttempts(CLUSTER_MAX_ATTEMPTS)
                // a failover takes the cluster's node timeout and more: retry for as long as
                // redis.timeout per attempt would allow, Jedis's default budget
                .maxTotalRetriesDuration(settings.timeout().multipliedBy(CLUSTER_MAX_ATTEMPTS))
                .build();
    }

    private static java.util.Set<HostAndPort> addresses(RedisTopology topology) {
        java.util.Set<HostAndPort> addresses = new java.util.LinkedHashSet<>();
        topology.nodes().forEach(node -> addresses.add(new HostAndPort(node.host(), node.port())));
        return addresses;
    }

    /** The sentinels' own connections: their credentials, the same timeout and TLS, no database. */
    @SuppressWarnings("deprecation")
    static JedisClientConfig sentinelConfig(RedisSettings settings) {
        int timeoutMillis = (int) settings.timeout().toMillis();
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .ssl(settings.tls().enabled());
        settings.topology().sentinelUsername().ifPresent(builder::user);
        if (!settings.topology().sentinelPassword().isEmpty()) {
            builder.password(settings.topology().sentinelPassword());
        }
        if (settings.tls().trustStore().isPresent()) {
            builder.sslSocketFactory(TrustStores.socketFactory(settings.tls()));
        }
        return builder.build();
    }

    /** The standalone client, with dblayer's pool (idle checks, keepalive, an explained pool timeout). */
    private static RedisClient createStandalone(RedisSettings settings, PoolEvents events) {
        HostAndPort address = new HostAndPort(settings.host(), settings.port());
        JedisClientConfig clientConfig = clientConfig(settings);
        ConnectionFactory connections = new IdleCheckingConnectionFactory(
                new KeepAliveSocketFactory(address, clientConfig, settings.keepalive()), clientConfig, events);
        return RedisClient.builder()
                .hostAndPort(address)
                .clientConfig(clientConfig)
                .connectionProvider(new BoundedConnectionProvider(connections, poolConfig(settings.pool()),
                        settings.pool(), events))
                .build();
    }

    /**
     * Deprecation: {@code ssl(boolean)} and {@code sslSocketFactory} are deprecated in Jedis 8 in
     * favour of {@code SslOptions}, which rebuilds its SSLContext (re-reading the trust store) for
     * every new connection and reports a bad store only when connecting. A socket factory built and
     * checked once at startup gives a message naming the setting when the application starts.
     */
    @SuppressWarnings("deprecation")
    static JedisClientConfig clientConfig(RedisSettings settings) {
        int timeoutMillis = (int) settings.timeout().toMillis();
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .database(settings.database())
                .ssl(settings.tls().enabled());
        settings.username().ifPresent(builder::user);
        if (!settings.password().isEmpty()) {
            builder.password(settings.password());
        }
        if (settings.tls().trustStore().isPresent()) {
            // Host name verification stays on: Jedis sets the HTTPS endpoint identification itself.
            builder.sslSocketFactory(TrustStores.socketFactory(settings.tls()));
        }
        return builder.build();
    }

    static ConnectionPoolConfig poolConfig(RedisSettings.PoolSettings pool) {
        ConnectionPoolConfig config = new ConnectionPoolConfig();
        config.setMaxTotal(pool.maxConnections());
        config.setMaxIdle(pool.maxConnections());
        config.setMinIdle(0);
        config.setBlockWhenExhausted(true);
        config.setMaxWait(pool.poolTimeout());
        // A connection idle for a while is PINGed when handed out (see IdleCheckingConnectionFactory),
        // so that the first command after a server restart gets a fresh connection instead of failing.
        config.setTestOnBorrow(true);
        config.setTestWhileIdle(true);
        config.setTimeBetweenEvictionRuns(pool.healthCheckInterval());
        // Test every idle connection in each run, not commons-pool2's default of three.
        config.setNumTestsPerEvictionRun(-1);
        config.setJmxEnabled(false);
        return config;
    }
}
