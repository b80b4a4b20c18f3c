package dev.dblayer.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.dblayer.internal.PoolEvents;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import jakarta.enterprise.inject.spi.CDI;

/**
 * Publishes the pools through OpenTelemetry's metrics API, with the semantic conventions' names,
 * units and attributes ({@code db.client.connection.pool.name}, {@code db.client.connection.state}),
 * on the {@code OpenTelemetry} that MicroProfile Telemetry gives the application. Loaded only when
 * the application can see the OpenTelemetry API ({@link Metrics}).
 */
final class OpenTelemetryMetrics {

    static final String SCOPE = "dev.dblayer";
    static final AttributeKey<String> POOL = AttributeKey.stringKey("db.client.connection.pool.name");
    static final AttributeKey<String> STATE = AttributeKey.stringKey("db.client.connection.state");

    private final Meter meter;
    private final List<AutoCloseable> observers = new ArrayList<>();

    private OpenTelemetryMetrics(Meter meter) {
        this.meter = meter;
    }

    /** The application's OpenTelemetry, if CDI has one (MicroProfile Telemetry); otherwise null. */
    static OpenTelemetryMetrics ofApplication() {
        var telemetry = CDI.current().select(OpenTelemetry.class);
        return telemetry.isResolvable() ? new OpenTelemetryMetrics(telemetry.get().getMeter(SCOPE)) : null;
    }

    /** Registers every instrument of {@code pool}. */
    void register(MeteredPool pool) {
        Attributes name = Attributes.of(POOL, pool.name());
        Attributes used = Attributes.of(POOL, pool.name(), STATE, "used");
        Attributes idle = Attributes.of(POOL, pool.name(), STATE, "idle");
        observers.add(meter.upDownCounterBuilder(MetricNames.COUNT).setUnit("{connection}")
                .setDescription("Connections by state (used, idle)")
                .buildWithCallback(measurement -> {
                    MeteredPool.Counts counts = pool.counts();
                    measurement.record(counts.used(), used);
                    measurement.record(counts.idle(), idle);
                }));
        observers.add(meter.upDownCounterBuilder(MetricNames.MAX).setUnit("{connection}")
                .setDescription("The most connections the pool opens")
                .buildWithCallback(measurement -> measurement.record(pool.counts().max(), name)));
        observers.add(meter.upDownCounterBuilder(MetricNames.IDLE_MIN).setUnit("{connection}")
                .setDescription("The connections the pool keeps open")
                .buildWithCallback(measurement -> measurement.record(pool.counts().size(), name)));
        observers.add(meter.upDownCounterBuilder(MetricNames.PENDING).setUnit("{request}")
                .setDescription("Borrowers waiting for a connection")
                .buildWithCallback(measurement -> measurement.record(pool.counts().pending(), name)));
        LongCounter timeouts = meter.counterBuilder(MetricNames.TIMEOUTS).setUnit("{timeout}")
                .setDescription("Borrowers that found no connection within the pool's timeout").build();
        DoubleHistogram waited = seconds(MetricNames.WAIT_TIME, "Time a borrower waited for a connection");
        DoubleHistogram held = seconds(MetricNames.USE_TIME, "Time a connection was held, from borrow to return");
        DoubleHistogram created = seconds(MetricNames.CREATE_TIME, "Time a new connection took to open");
        pool.forward(new PoolEvents() {
            @Override
            public void waited(long nanos) {
                waited.record(nanos / 1e9, name);
            }

            @Override
            public void used(long nanos) {
                held.record(nanos / 1e9, name);
            }

            @Override
            public void created(long nanos) {
                created.record(nanos / 1e9, name);
            }

            @Override
            public void timedOut() {
                timeouts.add(1, name);
            }
        });
    }

    /** {@code dblayer.snowflake.ids} and {@code dblayer.snowflake.lease.renewals}, observed counters. */
    void snowflake(LongSupplier issued, LongSupplier renewals) {
        observers.add(meter.counterBuilder(MetricNames.SNOWFLAKE_IDS).setUnit("{id}")
                .setDescription("Snowflake ids issued").buildWithCallback(m -> m.record(issued.getAsLong())));
        observers.add(meter.counterBuilder(MetricNames.SNOWFLAKE_RENEWALS).setUnit("{renewal}")
                .setDescription("Renewals of the snowflake node id lease")
                .buildWithCallback(m -> m.record(renewals.getAsLong())));
    }

    private DoubleHistogram seconds(String metric, String description) {
        return meter.histogramBuilder(metric).setUnit("s").setDescription(description).build();
    }

    /** Stops the observed instruments' callbacks, so that none reads a closed pool. */
    void close() throws Exception {
        for (AutoCloseable observer : observers) {
            observer.close();
        }
        observers.clear();
    }
}
