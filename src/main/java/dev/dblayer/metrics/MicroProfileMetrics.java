package dev.dblayer.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import dev.dblayer.internal.CheckEvents;
import dev.dblayer.internal.PoolEvents;
import jakarta.enterprise.inject.spi.AnnotatedField;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;

/**
 * Publishes the pools through MicroProfile Metrics, in the application registry, so that the
 * server's {@code /metrics} shows them in Prometheus format. Loaded only when the application can
 * see the MicroProfile Metrics API ({@link Metrics}), so an application without it never links
 * these types.
 */
final class MicroProfileMetrics {

    private final MetricRegistry registry;
    private final List<MetricID> registered = new ArrayList<>();

    private MicroProfileMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /**
     * The application's registry, if the server gives one to CDI; otherwise null. Asked for as an
     * injection point would be ({@link Holder#registry}): Payara's producer reads the point's
     * {@code @RegistryScope}, and fails on the bare point of a programmatic lookup.
     */
    static MicroProfileMetrics ofApplication() {
        BeanManager beans = CDI.current().getBeanManager();
        if (beans.resolve(beans.getBeans(MetricRegistry.class)) == null) {
            return null;
        }
        AnnotatedField<? super Holder> field = beans.createAnnotatedType(Holder.class).getFields().iterator().next();
        InjectionPoint point = beans.createInjectionPoint(field);
        return new MicroProfileMetrics((MetricRegistry) beans.getInjectableReference(point,
                beans.createCreationalContext(null)));
    }

    /** Declares the injection point of the application's registry; never instantiated. */
    static final class Holder {
        @Inject
        @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
        MetricRegistry registry;

        private Holder() {
        }
    }

    /** Registers every metric of {@code pool}. */
    void register(MeteredPool pool) {
        Tag name = new Tag("pool_name", pool.name());
        gauge(MetricNames.COUNT, "Connections by state (used, idle)", MetricUnits.NONE, pool,
                p -> p.counts().used(), name, new Tag("state", "used"));
        gauge(MetricNames.COUNT, "Connections by state (used, idle)", MetricUnits.NONE, pool,
                p -> p.counts().idle(), name, new Tag("state", "idle"));
        gauge(MetricNames.MAX, "The most connections the pool opens", MetricUnits.NONE, pool,
                p -> p.counts().max(), name);
        gauge(MetricNames.IDLE_MIN, "The connections the pool keeps open", MetricUnits.NONE, pool,
                p -> p.counts().size(), name);
        gauge(MetricNames.PENDING, "Borrowers waiting for a connection", MetricUnits.NONE, pool,
                p -> p.counts().pending(), name);
        if (!pool.system().equals("redis")) {
            String original = "The pool as the original module's gauge shows it (size, checked_out, idle, overflow)";
            gauge(MetricNames.ORIGINAL, original, MetricUnits.NONE, pool, p -> p.counts().size(), name,
                    new Tag("state", "size"));
            gauge(MetricNames.ORIGINAL, original, MetricUnits.NONE, pool, p -> p.counts().used(), name,
                    new Tag("state", "checked_out"));
            gauge(MetricNames.ORIGINAL, original, MetricUnits.NONE, pool, p -> p.counts().idle(), name,
                    new Tag("state", "idle"));
            gauge(MetricNames.ORIGINAL, original, MetricUnits.NONE, pool, p -> p.counts().overflow(), name,
                    new Tag("state", "overflow"));
        }
        Timer waited = timer(MetricNames.WAIT_TIME, "Time a borrower waited for a connection", name);
        Timer used = timer(MetricNames.USE_TIME, "Time a connection was held, from borrow to return", name);
        Timer created = timer(MetricNames.CREATE_TIME, "Time a new connection took to open", name);
        Counter timeouts = counter(MetricNames.TIMEOUTS, "Borrowers that found no connection within the pool's timeout",
                name);
        pool.forward(new PoolEvents() {
            @Override
            public void waited(long nanos) {
                waited.update(Duration.ofNanos(nanos));
            }

            @Override
            public void used(long nanos) {
                used.update(Duration.ofNanos(nanos));
            }

            @Override
            public void created(long nanos) {
                created.update(Duration.ofNanos(nanos));
            }

            @Override
            public void timedOut() {
                timeouts.inc();
            }
        });
    }

    /**
     * The health checks' answers: {@code dblayer.health.check.duration{check=NAME}} (a timer) and
     * {@code dblayer.health.check.status{check=NAME}} (1 for UP, 0 for DOWN, the last answer).
     */
    CheckEvents checks() {
        Map<String, Timer> durations = new ConcurrentHashMap<>();
        Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        return (check, up, nanos) -> {
            durations.computeIfAbsent(check, name -> timer(MetricNames.CHECK_DURATION,
                    "How long one answer of a dblayer health check took", new Tag("check", name)))
                    .update(Duration.ofNanos(nanos));
            statuses.computeIfAbsent(check, name -> {
                AtomicLong status = new AtomicLong();
                Tag tag = new Tag("check", name);
                gauge(MetricNames.CHECK_STATUS, "The last answer of a dblayer health check: 1 UP, 0 DOWN",
                        MetricUnits.NONE, status, AtomicLong::get, tag);
                return status;
            }).set(up ? 1 : 0);
        };
    }

    /** {@code dblayer.snowflake.ids} and {@code dblayer.snowflake.lease.renewals}: running totals. */
    void snowflake(LongSupplier issued, LongSupplier renewals) {
        gauge(MetricNames.SNOWFLAKE_IDS, "Snowflake ids issued since the application started (a running total)",
                MetricUnits.NONE, issued, LongSupplier::getAsLong);
        gauge(MetricNames.SNOWFLAKE_RENEWALS, "Renewals of the snowflake node id lease (a running total)",
                MetricUnits.NONE, renewals, LongSupplier::getAsLong);
    }

    /** A counter dblayer increments: snowflake ids, lease renewals. */
    Counter counter(String metric, String description, Tag... tags) {
        Metadata metadata = Metadata.builder().withName(metric).withDescription(description)
                .withUnit(MetricUnits.NONE).build();
        synchronized (registered) {
            registered.add(new MetricID(metric, tags));
        }
        return registry.counter(metadata, tags);
    }

    /** A timer dblayer updates: readiness probe durations. */
    Timer timer(String metric, String description, Tag... tags) {
        Metadata metadata = Metadata.builder().withName(metric).withDescription(description)
                .withUnit(MetricUnits.SECONDS).build();
        synchronized (registered) {
            registered.add(new MetricID(metric, tags));
        }
        return registry.timer(metadata, tags);
    }

    private <T> void gauge(String metric, String description, String unit, T source, ToLongFunction<T> value,
            Tag... tags) {
        Metadata metadata = Metadata.builder().withName(metric).withDescription(description).withUnit(unit).build();
        registry.gauge(metadata, source, s -> value.applyAsLong(s), tags);
        synchronized (registered) {
            registered.add(new MetricID(metric, tags));
        }
    }

    /** Removes what this registered, so that no gauge reads a closed pool. */
    void close() {
        synchronized (registered) {
            registered.forEach(registry::remove);
            registered.clear();
        }
    }
}
