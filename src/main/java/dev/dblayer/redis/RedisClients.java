package dev.dblayer.redis;

import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;

/** Builds Jedis's pooled {@link RedisClient} from {@link RedisSettings}; see {@code docs/redis.md}. */
final class RedisClients {

    private RedisClients() {
    }

    /** A new client; it connects lazily, on the first command. The caller closes it. */
    static RedisClient create(RedisSettings settings) {
        HostAndPort address = new HostAndPort(settings.host(), settings.port());
        JedisClientConfig clientConfig = clientConfig(settings);
        ConnectionFactory connections = new IdleCheckingConnectionFactory(
                new KeepAliveSocketFactory(address, clientConfig, settings.keepalive()), clientConfig);
        return RedisClient.builder()
                .hostAndPort(address)
                .clientConfig(clientConfig)
                .connectionProvider(new BoundedConnectionProvider(connections, poolConfig(settings.pool()), settings.pool()))
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
