package dev.dblayer.metrics;

/**
 * How long the current thread has waited for pooled connections, in total: a transaction's span
 * reports the difference between its end and its start as the pool wait it paid.
 */
final class PoolWaits {

    private static final ThreadLocal<long[]> WAITED = ThreadLocal.withInitial(() -> new long[1]);

    private PoolWaits() {
    }

    static void add(long nanos) {
        WAITED.get()[0] += nanos;
    }

    /** Nanoseconds this thread has waited for connections so far. */
    static long total() {
        return WAITED.get()[0];
    }
}
