package dev.dblayer.internal;

import jakarta.interceptor.Interceptor;

/**
 * Internal: the order in which dblayer's beans start and stop, as observer priorities (lower runs
 * first). Startup follows the original module: the database (tables created), then Redis, then the
 * snowflake node lease (which needs Redis), then the health checks; all before the application's own startup observers (default priority
 * {@code APPLICATION + 500}), so those can use both. Shutdown runs in reverse, each step guarding
 * its own failures so that one cannot skip the next; before it, the readiness checks turn DOWN
 * ({@code READINESS_DOWN}) and dblayer waits for the work in flight to end ({@code DRAIN}), so that
 * no pool is closed under a running transaction.
 */
public final class Lifecycle {

    public static final int DATABASE_START = Interceptor.Priority.LIBRARY_BEFORE;
    public static final int REDIS_START = DATABASE_START + 10;
    public static final int SNOWFLAKE_START = DATABASE_START + 15;
    public static final int HEALTH_START = DATABASE_START + 20;
    /** Publishes the pools once every one is built. */
    public static final int METRICS_START = DATABASE_START + 25;

    public static final int READINESS_DOWN = Interceptor.Priority.LIBRARY_AFTER - 20;
    public static final int DRAIN = Interceptor.Priority.LIBRARY_AFTER - 10;
    public static final int HEALTH_STOP = Interceptor.Priority.LIBRARY_AFTER;
    /** Unpublishes the pools before any closes. */
    public static final int METRICS_STOP = HEALTH_STOP + 2;
    /** Releases the node lease while Redis is still open. */
    public static final int SNOWFLAKE_STOP = HEALTH_STOP + 5;
    public static final int REDIS_STOP = HEALTH_STOP + 10;
    public static final int DATABASE_STOP = HEALTH_STOP + 20;

    private Lifecycle() {
    }
}
