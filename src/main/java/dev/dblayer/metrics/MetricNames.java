package dev.dblayer.metrics;

/**
 * The names dblayer publishes, after OpenTelemetry's semantic conventions for database client
 * connection pools ({@code db.client.connection.*}), for the database's pools and the Redis pool
 * alike; the pool is the {@code pool_name} tag (OpenTelemetry: {@code db.client.connection.pool.name}).
 * In Prometheus format the dots become underscores: {@code db_client_connection_count}.
 */
final class MetricNames {

    static final String COUNT = "db.client.connection.count";
    static final String MAX = "db.client.connection.max";
    static final String IDLE_MIN = "db.client.connection.idle.min";
    static final String PENDING = "db.client.connection.pending_requests";
    static final String TIMEOUTS = "db.client.connection.timeouts";
    static final String WAIT_TIME = "db.client.connection.wait_time";
    static final String USE_TIME = "db.client.connection.use_time";
    static final String CREATE_TIME = "db.client.connection.create_time";
    /** The original module's {@code fba_sqlalchemy_pool_connections{state=size|checked_out|idle|overflow}}. */
    static final String ORIGINAL = "dblayer.pool.connections";
    static final String SNOWFLAKE_IDS = "dblayer.snowflake.ids";
    static final String SNOWFLAKE_RENEWALS = "dblayer.snowflake.lease.renewals";
    static final String CHECK_DURATION = "dblayer.health.check.duration";
    static final String CHECK_STATUS = "dblayer.health.check.status";

    private MetricNames() {
    }
}
