package dev.dblayer.db;

import java.time.Duration;

/**
 * A snapshot of dblayer's connection pool, from {@link Database#poolStatistics()}: how many
 * connections are in use, free and awaited now, and how many have been handed out and returned
 * since the pool was built.
 * <pre>{@code
 * database.poolStatistics().ifPresent(pool -> log.info(pool.active() + " of " + pool.max() + " in use"));
 * }</pre>
 *
 * @param active            connections handed out and not yet returned
 * @param idle              connections open and free
 * @param waiting           threads waiting for a connection
 * @param max               the most connections the pool opens ({@code pool.size + pool.max-overflow})
 * @param acquired          connections handed out since the pool was built
 * @param returned          connections returned (closed by their user) since the pool was built,
 *                          including those that broke in use and are then discarded
 * @param timeouts          requests that found no connection within {@code database.pool.timeout}
 * @param sinceLastReturned how long ago a connection was last returned; since the pool was built
 *                          when none has been yet
 */
public record PoolStatistics(int active, int idle, int waiting, int max, long acquired, long returned,
        long timeouts, Duration sinceLastReturned) {

    /** Every connection is in use and requests are waiting for one. */
    public boolean saturated() {
        return waiting > 0 && idle == 0;
    }
}
