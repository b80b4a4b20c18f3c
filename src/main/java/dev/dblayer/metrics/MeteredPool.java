package dev.dblayer.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import dev.dblayer.internal.PoolEvents;

/**
 * One pool as the metrics see it: its name, its counts read at each scrape, and its events as they
 * happen, passed on to every publisher ({@link #forward}). Counts timeouts itself, so that every
 * pool has the counter whether or not its own statistics keep one. Thread-safe.
 */
final class MeteredPool implements PoolEvents {

    /**
     * The counts at one moment.
     *
     * @param used    connections handed out
     * @param idle    connections open and free
     * @param max     the most connections the pool opens
     * @param pending borrowers waiting for a connection
     * @param size    the connections the pool keeps open ({@code database.pool.size}); above it is overflow
     */
    record Counts(long used, long idle, long max, long pending, long size) {

        /** Open connections: used and idle (the original's {@code size} state is {@link #size()}). */
        long open() {
            return used + idle;
        }

        /** Open connections beyond {@link #size()}: the original's {@code overflow}. */
        long overflow() {
            return Math.max(0, open() - size);
        }
    }

    private final String name;
    private final String system;
    private final Supplier<Counts> counts;
    private final LongAdder timeouts = new LongAdder();
    private final List<PoolEvents> publishers = new CopyOnWriteArrayList<>();

    /**
     * @param name   the pool's name ({@code dblayer}, {@code dblayer-reports}, {@code redis})
     * @param system what it connects to: {@code postgresql}, {@code mysql} or {@code redis}
     * @param counts its counts now
     */
    MeteredPool(String name, String system, Supplier<Counts> counts) {
        this.name = name;
        this.system = system;
        this.counts = counts;
    }

    String name() {
        return name;
    }

    String system() {
        return system;
    }

    /** The counts now; all zero when the pool cannot say (closed, not built yet). */
    Counts counts() {
        try {
            return counts.get();
        } catch (RuntimeException e) {
            return new Counts(0, 0, 0, 0, 0);
        }
    }

    /** Borrowers that found no connection within the pool's timeout since the pool was metered. */
    long timeouts() {
        return timeouts.sum();
    }

    /** Passes every event on to {@code publisher} from now on. */
    void forward(PoolEvents publisher) {
        publishers.add(publisher);
    }

    @Override
    public void waited(long nanos) {
        PoolWaits.add(nanos);
        for (PoolEvents publisher : publishers) {
            publisher.waited(nanos);
        }
    }

    @Override
    public void used(long nanos) {
        for (PoolEvents publisher : publishers) {
            publisher.used(nanos);
        }
    }

    @Override
    public void created(long nanos) {
        for (PoolEvents publisher : publishers) {
            publisher.created(nanos);
        }
    }

    @Override
    public void timedOut() {
        timeouts.increment();
        for (PoolEvents publisher : publishers) {
            publisher.timedOut();
        }
    }
}
