package dev.dblayer.db;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many transactions begun by {@code @Transactional} or {@link Transactions} are running now,
 * from {@code begin} to the end of their commit or rollback. A transaction may hold no pooled
 * connection yet (EclipseLink takes one at its first statement), so the shutdown waits for this count
 * as well as for the pool's connections in use. Thread-safe.
 */
final class TransactionsInFlight {

    private final AtomicInteger running = new AtomicInteger();

    void began() {
        running.incrementAndGet();
    }

    void ended() {
        running.decrementAndGet();
    }

    int count() {
        return running.get();
    }
}
