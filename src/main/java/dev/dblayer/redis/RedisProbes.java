package dev.dblayer.redis;

import java.time.Duration;
import java.util.List;

import org.apache.commons.pool2.impl.GenericObjectPool;

import dev.dblayer.internal.Errors;
import dev.dblayer.internal.PoolEvents;
import dev.dblayer.internal.Tracing;

/**
 * What dblayer's readiness check needs of Redis, and nothing more: a probe of the configured mode
 * on connections outside the pool, and a short account of a failure. Public only because the check lives in another package; not
 * for applications, which use {@link Redis} and the injected client.
 */
public final class RedisProbes {

    private RedisProbes() {
    }

    /**
     * A readiness probe for the configured mode, on connections of its own; see {@link #newProbe}.
     * Used from one thread at a time.
     */
    public interface Probe extends AutoCloseable {

        /**
         * Checks once: standalone, the server answers PING; Sentinel, a sentinel names the primary and
         * the primary answers {@code ROLE} as master; Cluster, {@code cluster_state:ok} and all 16384
         * slots served. Answers the data to report (never a secret).
         *
         * @throws RuntimeException with the reason when the check fails
         */
        java.util.Map<String, Object> check();

        /** Closes its connections. */
        @Override
        void close();
    }

    /** A new probe for {@code settings}' mode, {@code timeout} its connect and socket timeout. */
    public static Probe newProbe(RedisSettings settings, Duration timeout) {
        return new ModeProbe(settings, timeout);
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

    /** Sends the spans of the helpers of {@code redis}'s {@link RedisKeys} to {@code tracing}. */
    public static void trace(Redis redis, Tracing tracing) {
        redis.trace(tracing);
    }

    /** Reports {@code redis}'s standalone pool's events to {@code events} (Sentinel and Cluster pools are Jedis's own). */
    public static void listen(Redis redis, PoolEvents events) {
        redis.listen(events);
    }

    /**
     * {@code redis}'s connection pools now (one, or one per cluster primary), for their counts:
     * {@code getNumActive}, {@code getNumIdle}, {@code getNumWaiters}, {@code getMaxTotal}.
     */
    public static List<? extends GenericObjectPool<?>> pools(Redis redis) {
        return redis.pools();
    }
}
