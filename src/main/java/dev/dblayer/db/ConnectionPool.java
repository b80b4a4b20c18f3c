package dev.dblayer.db;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * Builds the HikariCP pool from {@link DatabaseSettings}. The original module's pool semantics
 * (SQLAlchemy's QueuePool) map onto HikariCP like this:
 *
 * <ul>
 *   <li>{@code pool.size} → {@code minimumIdle}: connections kept open;</li>
 *   <li>{@code pool.size + pool.max-overflow} → {@code maximumPoolSize}; connections above
 *       {@code pool.size} are closed after {@link #OVERFLOW_IDLE} unused;</li>
 *   <li>{@code pool.timeout} → {@code connectionTimeout}: the wait for a free connection, after which
 *       {@code getConnection()} throws {@link java.sql.SQLTransientConnectionException};</li>
 *   <li>{@code pool.recycle} → {@code maxLifetime};</li>
 *   <li>{@code pool.pre-ping=true} → HikariCP validates a borrowed connection that has been idle for
 *       more than 500 ms (it always does) and also checks idle connections every {@link #KEEPALIVE}.
 *       {@code false} turns that keepalive off; HikariCP has no switch for the check on borrow.</li>
 * </ul>
 *
 * The pool opens no connection when it is built, so a database that is down at startup does not
 * stop the application from deploying.
 *
 * <p>HikariCP's two background threads (housekeeping, opening connections) are its own, not the
 * server's Jakarta Concurrency threads: Open Liberty holds back a ManagedThreadFactory's threads
 * until the application has started, while the pool must connect during startup to deploy the
 * persistence unit (tried: every connection request then timed out). The threads run no
 * application code and need no container context; they end when the pool is closed.
 *
 * <p>Each pool counts the connections it hands out and gets back ({@link PoolCounters}, through
 * HikariCP's metrics hook); {@link #statistics} reads them with HikariCP's live counts.
 */
final class ConnectionPool {

    static final String POOL_NAME = "dblayer";
    static final Duration OVERFLOW_IDLE = Duration.ofSeconds(60);
    static final Duration KEEPALIVE = Duration.ofSeconds(120);

    private ConnectionPool() {
    }

    /** A new, not yet connected pool. */
    static HikariDataSource create(DatabaseSettings settings) {
        return create(settings, POOL_NAME);
    }

    /** A new, not yet connected pool named {@code name} (HikariCP's pool name, in its log and metrics). */
    static HikariDataSource create(DatabaseSettings settings, String name) {
        return create(settings, name, false);
    }

    /**
     * A new, not yet connected pool named {@code name}, whose connections are read-only when
     * {@code readOnly} (the replica's). Set here, on the configuration: HikariCP seals it once the
     * pool is built, and a setter called on the built pool throws.
     */
    static HikariDataSource create(DatabaseSettings settings, String name, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setReadOnly(readOnly);
        config.setDriverClassName(settings.type().driverClassName());
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());

        DatabaseSettings.PoolSettings pool = settings.pool();
        config.setMinimumIdle(pool.size());
        config.setMaximumPoolSize(pool.maxSize());
        config.setIdleTimeout(OVERFLOW_IDLE.toMillis());
        config.setConnectionTimeout(pool.timeout().toMillis());
        config.setValidationTimeout(Math.min(Duration.ofSeconds(5).toMillis(), pool.timeout().toMillis()));
        config.setMaxLifetime(pool.recycle().toMillis());
        if (pool.prePing() && pool.recycle().compareTo(KEEPALIVE) > 0) {
            config.setKeepaliveTime(KEEPALIVE.toMillis());
        } else {
            config.setKeepaliveTime(0);
        }
        // Deploy even when the database is down; readiness reports it until it is back.
        config.setInitializationFailTimeout(-1);
        config.setMetricsTrackerFactory(new PoolCounters());
        return new HikariDataSource(config);
    }

    /** A snapshot of a pool built by {@link #create}. */
    static PoolStatistics statistics(HikariDataSource pool) {
        PoolCounters counters = (PoolCounters) pool.getMetricsTrackerFactory();
        HikariPoolMXBean live = pool.getHikariPoolMXBean();
        return new PoolStatistics(live.getActiveConnections(), live.getIdleConnections(),
                live.getThreadsAwaitingConnection(), pool.getMaximumPoolSize(), counters.acquired(),
                counters.returned(), counters.timeouts(), counters.sinceLastReturned());
    }
}
