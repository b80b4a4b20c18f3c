package dev.dblayer.redis;

import java.time.Duration;

import dev.dblayer.internal.Errors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * What dblayer's readiness check needs of Redis, and nothing more: a connection outside the pool,
 * and a short account of a failure. Public only because the check lives in another package; not
 * for applications, which use {@link Redis} and the injected client.
 */
public final class RedisProbes {

    private RedisProbes() {
    }

    /**
     * A new connection outside the pool, with {@code timeout} as its connect and socket timeout and
     * otherwise {@code settings} (user, password, database, TLS). For probes that must not wait for
     * a pooled connection; the caller closes it.
     */
    public static Jedis openUnpooled(RedisSettings settings, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        JedisClientConfig base = RedisClients.clientConfig(settings);
        JedisClientConfig config = DefaultJedisClientConfig.builder()
                .from(base)
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .build();
        return new Jedis(new HostAndPort(settings.host(), settings.port()), config);
    }

    /**
     * Why a Redis call failed, in a few words fit for a health check or a log: {@code timeout},
     * {@code authentication}, {@code refused} or {@code error}, then the root cause. Never contains
     * a password.
     */
    public static String describeFailure(Throwable error) {
        String kind = switch (RedisFailures.classify(error)) {
            case TIMEOUT -> "timeout";
            case AUTHENTICATION -> "authentication";
            case OTHER -> refused(error) ? "refused" : "error";
        };
        return kind + ": " + Errors.rootMessage(error);
    }

    /** Jedis keeps the connect failure as a suppressed exception, not always as the cause. */
    private static boolean refused(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (refused(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }
}
