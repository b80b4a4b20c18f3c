package dev.dblayer.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.commons.pool2.impl.GenericObjectPool;
import org.eclipse.microprofile.config.Config;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseProbes;
import dev.dblayer.db.PoolStatistics;
import dev.dblayer.health.HealthProbes;
import dev.dblayer.internal.CheckEvents;
import dev.dblayer.internal.Lifecycle;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.redis.Redis;
import dev.dblayer.redis.RedisProbes;
import dev.dblayer.snowflake.Snowflake;
import dev.dblayer.snowflake.SnowflakeProbes;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Publishes dblayer's pools when the application starts: the database's (and its named sources'
 * and replica's) and the Redis pool, through MicroProfile Metrics when the application can see its
 * API and the server has a registry, and through OpenTelemetry when it has MicroProfile Telemetry
 * (see docs/observability.md). With neither, nothing is published and one FINE line says so; the
 * optional APIs are touched only after their classes were found, so an application without them
 * never fails to load a class. {@code dblayer.metrics.enabled=false} turns it all off.
 */
@ApplicationScoped
public class Metrics {

    /** {@code true} (default): publish when the server can; {@code false}: never. */
    public static final String ENABLED = "dblayer.metrics.enabled";
    /** {@code true} (default): spans for transactions and Redis helpers when the application has MicroProfile Telemetry. */
    public static final String TRACING = "dblayer.tracing.enabled";
    static final String MICROPROFILE_METRICS = "org.eclipse.microprofile.metrics.MetricRegistry";
    static final String OPENTELEMETRY = "io.opentelemetry.api.OpenTelemetry";

    private static final Logger LOG = Logger.getLogger(Metrics.class.getName());

    private final Database database;
    private final Redis redis;
    private final Config config;
    private final Snowflake snowflake;
    private final List<MeteredPool> pools = new ArrayList<>();
    private final List<AutoCloseable> publishers = new ArrayList<>();

    /** For CDI's proxy. */
    protected Metrics() {
        this.database = null;
        this.redis = null;
        this.config = null;
        this.snowflake = null;
    }

    @Inject
    Metrics(Database database, Redis redis, Snowflake snowflake, Config config) {
        this.database = database;
        this.redis = redis;
        this.snowflake = snowflake;
        this.config = config;
    }

    void onStart(@Observes @Priority(Lifecycle.METRICS_START) @Initialized(ApplicationScoped.class)
            Object applicationStarted) {
        start(Thread.currentThread().getContextClassLoader());
    }

    /** Meters the pools and publishes them through what {@code loader} (the application's) can see. */
    synchronized void start(ClassLoader loader) {
        SettingsReader settings = SettingsReader.of(config);
        boolean enabled = settings.bool(ENABLED, true);
        settings.bool(TRACING, true); // a bad value fails the deployment even with metrics off
        if (enabled) {
            publishMetrics(loader);
        } else {
            LOG.fine(() -> "dblayer: metrics off (" + ENABLED + "=false)");
        }
        startTracing(settings, loader);
    }

    private void publishMetrics(ClassLoader loader) {
        meterPools();
        List<String> through = new ArrayList<>();
        if (visible(MICROPROFILE_METRICS, loader)) {
            try {
                MicroProfileMetrics registry = MicroProfileMetrics.ofApplication();
                if (registry != null) {
                    pools.forEach(registry::register);
                    registry.snowflake(() -> SnowflakeProbes.issued(snowflake), () -> SnowflakeProbes.renewals(snowflake));
                    HealthProbes.listen(registry.checks());
                    publishers.add(registry::close);
                    through.add("MicroProfile Metrics");
                }
            } catch (RuntimeException | LinkageError e) {
                // Metrics must never cost the application its deployment.
                LOG.log(Level.WARNING, "dblayer: cannot publish metrics through MicroProfile Metrics", e);
            }
        }
        if (visible(OPENTELEMETRY, loader)) {
            try {
                OpenTelemetryMetrics meter = OpenTelemetryMetrics.ofApplication();
                if (meter != null) {
                    pools.forEach(meter::register);
                    meter.snowflake(() -> SnowflakeProbes.issued(snowflake), () -> SnowflakeProbes.renewals(snowflake));
                    publishers.add(meter::close);
                    through.add("OpenTelemetry");
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "dblayer: cannot publish metrics through OpenTelemetry", e);
            }
        }
        if (through.isEmpty()) {
            LOG.fine("dblayer: no metrics published: the application has neither MicroProfile Metrics nor"
                    + " MicroProfile Telemetry");
        } else {
            LOG.info(() -> "dblayer: metrics of " + pools.stream().map(MeteredPool::name).toList() + " published"
                    + " through " + String.join(" and ", through));
        }
    }

    private void startTracing(SettingsReader settings, ClassLoader loader) {
        if (settings.bool(TRACING, true) && visible(OPENTELEMETRY, loader)) {
            try {
                OpenTelemetryTracing tracing = OpenTelemetryTracing.ofApplication();
                if (tracing != null) {
                    DatabaseProbes.trace(database, tracing);
                    RedisProbes.trace(redis, tracing);
                    LOG.info("dblayer: spans of transactions and Redis helpers go to OpenTelemetry");
                } else {
                    LOG.fine("dblayer: no spans: MicroProfile Telemetry's SDK is off (otel.sdk.disabled)");
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "dblayer: cannot send spans to OpenTelemetry", e);
            }
        }
    }

    private void meterPools() {
        for (Map.Entry<String, Database> entry : DatabaseProbes.pools(database).entrySet()) {
            Database pooled = entry.getValue();
            String system = SettingsReader.settingName(pooled.settings().type());
            int size = pooled.settings().pool().size();
            MeteredPool pool = new MeteredPool(entry.getKey(), system, () -> {
                PoolStatistics statistics = pooled.poolStatistics().orElseThrow();
                return new MeteredPool.Counts(statistics.active(), statistics.idle(), statistics.max(),
                        statistics.waiting(), size);
            });
            DatabaseProbes.listen(pooled, pool);
            pools.add(pool);
        }
        MeteredPool redisPool = new MeteredPool("redis", "redis", () -> {
            long used = 0;
            long idle = 0;
            long max = 0;
            long pending = 0;
            long size = 0;
            for (GenericObjectPool<?> pool : RedisProbes.pools(redis)) {
                used += pool.getNumActive();
                idle += pool.getNumIdle();
                max += pool.getMaxTotal();
                pending += pool.getNumWaiters();
                size += pool.getMinIdle();
            }
            return new MeteredPool.Counts(used, idle, max, pending, size);
        });
        RedisProbes.listen(redis, redisPool);
        pools.add(redisPool);
    }

    /** Whether {@code loader} can load {@code className}, without initialising it. */
    static boolean visible(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    void onStop(@Observes @Priority(Lifecycle.METRICS_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    /** Unpublishes everything, so that no scrape reads a closed pool. Idempotent. */
    @PreDestroy
    synchronized void close() {
        for (AutoCloseable publisher : publishers) {
            try {
                publisher.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "dblayer: unpublishing metrics failed", e);
            }
        }
        publishers.clear();
        HealthProbes.listen(CheckEvents.NONE);
    }
}
