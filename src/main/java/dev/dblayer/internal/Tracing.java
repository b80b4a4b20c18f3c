package dev.dblayer.internal;

/**
 * Where dblayer's spans go: its transactions and Redis helpers open one each, and say what
 * happened; {@code dev.dblayer.metrics} makes them OpenTelemetry spans when the application has
 * MicroProfile Telemetry, and {@link #NONE} drops them otherwise. Spans are opened and closed on one
 * thread, with try-with-resources.
 *
 * <p>Internal to dblayer: public only for its packages.
 */
public interface Tracing {

    /** Opens spans that record nothing. */
    Tracing NONE = name -> Span.NONE;

    /** A span named {@code name}, a child of the thread's current one; the current one until closed. */
    Span start(String name);

    /** One open span. */
    interface Span extends AutoCloseable {

        /** Records nothing. */
        Span NONE = new Span() {
            @Override
            public void attribute(String key, String value) {
            }

            @Override
            public void attribute(String key, long value) {
            }

            @Override
            public void failed(Throwable error) {
            }

            @Override
            public void close() {
            }
        };

        void attribute(String key, String value);

        void attribute(String key, long value);

        /** The work failed with {@code error}. */
        void failed(Throwable error);

        /** Ends the span. */
        @Override
        void close();
    }
}
