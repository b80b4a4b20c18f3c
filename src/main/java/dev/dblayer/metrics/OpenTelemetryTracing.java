package dev.dblayer.metrics;

import dev.dblayer.internal.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.inject.spi.CDI;

/**
 * dblayer's spans as OpenTelemetry spans, on the {@code OpenTelemetry} that MicroProfile Telemetry
 * gives the application: children of the thread's current span (the request's, which the server
 * opens), current themselves while they run, each with the time its thread waited for pooled
 * connections ({@code db.client.connection.wait_time}, in ms). Loaded only when the application
 * can see the OpenTelemetry API ({@link Metrics}).
 */
final class OpenTelemetryTracing implements Tracing {

    static final String POOL_WAIT = "dblayer.pool.wait_ms";

    private final Tracer tracer;

    private OpenTelemetryTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * The application's tracer, if CDI has an OpenTelemetry (MicroProfile Telemetry) whose SDK is on;
     * otherwise null. With {@code otel.sdk.disabled=true} (MicroProfile Telemetry's default) the
     * server gives the no-op tracer, whose spans would cost a little and show nothing.
     */
    static OpenTelemetryTracing ofApplication() {
        var telemetry = CDI.current().select(OpenTelemetry.class);
        if (!telemetry.isResolvable()) {
            return null;
        }
        Tracer tracer = telemetry.get().getTracer(OpenTelemetryMetrics.SCOPE);
        return tracer.getClass() == TracerProvider.noop().get(OpenTelemetryMetrics.SCOPE).getClass()
                ? null
                : new OpenTelemetryTracing(tracer);
    }

    @Override
    public Tracing.Span start(String name) {
        io.opentelemetry.api.trace.Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.INTERNAL).startSpan();
        return new Open(span, span.makeCurrent(), PoolWaits.total());
    }

    /** One span while it runs. */
    private static final class Open implements Tracing.Span {

        private final io.opentelemetry.api.trace.Span span;
        private final Scope scope;
        private final long waitedBefore;

        Open(io.opentelemetry.api.trace.Span span, Scope scope, long waitedBefore) {
            this.span = span;
            this.scope = scope;
            this.waitedBefore = waitedBefore;
        }

        @Override
        public void attribute(String key, String value) {
            span.setAttribute(key, value);
        }

        @Override
        public void attribute(String key, long value) {
            span.setAttribute(key, value);
        }

        @Override
        public void failed(Throwable error) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        }

        @Override
        public void close() {
            span.setAttribute(POOL_WAIT, (PoolWaits.total() - waitedBefore) / 1_000_000);
            scope.close();
            span.end();
        }
    }
}
