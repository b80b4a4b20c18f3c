package dev.dblayer.db;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;

import dev.dblayer.internal.PoolEvents;

/**
 * Counts what one HikariCP pool hands out and gets back, through HikariCP's metrics hook: the
 * readiness check tells a busy pool from a stuck one by whether connections still come back.
 *
 * <p>HikariCP reports a borrow that timed out as an acquisition too, followed by a timeout on the
 * same thread; {@link #acquired()} subtracts those. A return is counted when the user closes the
 * connection, also when it broke in use (HikariCP then discards it). Cheap: two adders and one
 * volatile write per borrow and return. Thread-safe; one instance per pool.
 */
final class PoolCounters implements MetricsTrackerFactory, IMetricsTracker {

    private final LongAdder borrows = new LongAdder();
    private final LongAdder returns = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private volatile long lastReturnNanos = System.nanoTime();
    /** Who measures this pool, if anyone ({@code dev.dblayer.metrics}). */
    private volatile PoolEvents events = PoolEvents.NONE;

    /** Reports every borrow, return, new connection and timeout to {@code events} from now on. */
    void listen(PoolEvents listener) {
        this.events = listener;
    }

    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
        return this;
    }

    @Override
    public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
        borrows.increment();
        events.waited(elapsedAcquiredNanos);
    }

    @Override
    public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
        returns.increment();
        lastReturnNanos = System.nanoTime();
        events.used(elapsedBorrowedMillis * 1_000_000);
    }

    @Override
    public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
        events.created(connectionCreatedMillis * 1_000_000);
    }

    @Override
    public void recordConnectionTimeout() {
        timeouts.increment();
        events.timedOut();
    }

    long acquired() {
        return Math.max(0, borrows.sum() - timeouts.sum());
    }

    long returned() {
        return returns.sum();
    }

    long timeouts() {
        return timeouts.sum();
    }

    /** Since the last return, or since the pool was built when nothing has been returned yet. */
    Duration sinceLastReturned() {
        return Duration.ofNanos(System.nanoTime() - lastReturnNanos);
    }
}
