package dev.dblayer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.dblayer.internal.PoolEvents;

/** What every publisher reads of a pool: its counts, the original's overflow, its timeouts and its events. */
class MeteredPoolTest {

    @Test
    void overflowIsWhatIsOpenBeyondTheKeptSize() {
        assertEquals(0, new MeteredPool.Counts(3, 2, 30, 0, 10).overflow(), "5 open of 10 kept: no overflow");
        assertEquals(4, new MeteredPool.Counts(12, 2, 30, 5, 10).overflow(), "14 open of 10 kept: 4 overflow");
        assertEquals(14, new MeteredPool.Counts(12, 2, 30, 5, 10).open());
    }

    @Test
    void countsThatCannotBeReadAreZeroNotAScrapeFailure() {
        MeteredPool closed = new MeteredPool("dblayer", "postgresql", () -> {
            throw new IllegalStateException("closed");
        });
        assertEquals(new MeteredPool.Counts(0, 0, 0, 0, 0), closed.counts());
    }

    @Test
    void eventsReachEveryPublisherAndTimeoutsAndWaitsAreCounted() {
        MeteredPool pool = new MeteredPool("redis", "redis", () -> new MeteredPool.Counts(0, 0, 1, 0, 0));
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        pool.forward(recorder(first));
        pool.forward(recorder(second));
        long waitedBefore = PoolWaits.total();

        pool.waited(5_000_000);
        pool.used(7);
        pool.created(9);
        pool.timedOut();
        pool.timedOut();

        assertEquals(List.of("waited 5000000", "used 7", "created 9", "timeout", "timeout"), first);
        assertEquals(first, second, "every publisher gets every event");
        assertEquals(2, pool.timeouts());
        assertEquals(5_000_000, PoolWaits.total() - waitedBefore, "the thread's wait is added up for its span");
    }

    private static PoolEvents recorder(List<String> events) {
        return new PoolEvents() {
            @Override
            public void waited(long nanos) {
                events.add("waited " + nanos);
            }

            @Override
            public void used(long nanos) {
                events.add("used " + nanos);
            }

            @Override
            public void created(long nanos) {
                events.add("created " + nanos);
            }

            @Override
            public void timedOut() {
                events.add("timeout");
            }
        };
    }
}
