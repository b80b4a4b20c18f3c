package dev.dblayer.snowflake;

import java.util.function.Supplier;

/**
 * Makes the ids of one node: the millisecond, the node id and a sequence within the millisecond.
 * Holds no lease itself: {@code node} answers the node id it may issue under now, or throws when
 * it may issue none, and is asked for every id, after any wait, so that no id is made under a
 * lease that ran out meanwhile. Thread-safe (one id at a time).
 *
 * <p>The clock going back by up to {@link #MAX_BACKWARD_MILLIS} is waited out; further is an
 * error. The 4097th id in one millisecond waits for the next.
 */
final class SnowflakeGenerator {

    /** How far back the clock may go and be waited out: 10 s, as the original. */
    static final long MAX_BACKWARD_MILLIS = 10_000;

    /** The wall clock, and a way to wait for it; a test's own in unit tests. */
    interface Clock {

        Clock SYSTEM = new Clock() {
            @Override
            public long millis() {
                return System.currentTimeMillis();
            }

            @Override
            public void sleep(long millis) throws InterruptedException {
                Thread.sleep(millis);
            }
        };

        long millis();

        void sleep(long millis) throws InterruptedException;
    }

    private final Supplier<NodeId> node;
    private final Clock clock;
    private long lastMillis = -1;
    private int sequence;

    SnowflakeGenerator(Supplier<NodeId> node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    /**
     * A new id.
     *
     * @throws IllegalStateException when the clock went back more than 10 s, or {@code node} refuses
     */
    synchronized long next() {
        node.get(); // refuses at once while no lease is held, before any wait
        long now = clock.millis();
        if (now < lastMillis) {
            long back = lastMillis - now;
            if (back > MAX_BACKWARD_MILLIS) {
                throw new IllegalStateException("dblayer: the clock moved back by " + back + " ms, more than "
                        + MAX_BACKWARD_MILLIS + " ms: no snowflake ids until it has caught up (ids made after "
                        + "that would repeat ones already issued)");
            }
            now = waitUntil(lastMillis);
        }
        if (now == lastMillis) {
            sequence = (sequence + 1) & SnowflakeId.MAX_SEQUENCE;
            if (sequence == 0) {
                now = waitUntil(lastMillis + 1);
            }
        } else {
            sequence = 0;
        }
        if (now - SnowflakeId.EPOCH_MILLIS > SnowflakeId.MAX_ELAPSED_MILLIS) {
            throw new IllegalStateException("dblayer: the clock reads " + now + " ms since 1970, past the last"
                    + " millisecond a snowflake id can hold (41 bits after 2010-01-01)");
        }
        NodeId issuing = node.get();
        lastMillis = now;
        return SnowflakeId.compose(now, issuing.datacenterId(), issuing.workerId(), sequence);
    }

    private long waitUntil(long target) {
        long now = clock.millis();
        try {
            while (now < target) {
                clock.sleep(Math.min(target - now, 50));
                now = clock.millis();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("dblayer: interrupted while waiting for the clock to make a snowflake id", e);
        }
        return now;
    }
}
