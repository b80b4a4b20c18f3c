package dev.dblayer.db;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many of the application's units of work (request EntityManagers, and those of running
 * {@code REQUIRES_NEW} / {@code NOT_SUPPORTED} calls) are open now. A unit may hold no pooled
 * connection yet (EclipseLink takes one at its first statement), so the shutdown waits for this
 * count as well as for the pool's active connections. Thread-safe.
 */
final class OpenUnits {

    private final AtomicInteger open = new AtomicInteger();

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    int count() {
        return open.get();
    }
}
