package dev.dblayer.snowflake;

import java.time.Instant;

/**
 * A snowflake id taken apart. The layout is Twitter's, with the original module's epoch, so that
 * ids made by both live in one table: from the high bit down, 1 bit zero, 41 bits of milliseconds
 * since {@link #EPOCH_MILLIS} (2010-01-01T00:00:00Z), 5 bits datacenter id, 5 bits worker id, 12 bits
 * sequence within the millisecond.
 *
 * @param time         when it was made, to the millisecond
 * @param datacenterId 0 to 31
 * @param workerId     0 to 31
 * @param sequence     0 to 4095
 */
public record SnowflakeId(Instant time, int datacenterId, int workerId, int sequence) {

    /** 2010-01-01T00:00:00Z, as the original module. */
    public static final long EPOCH_MILLIS = 1262275200000L;
    /** The largest datacenter or worker id: 31. */
    public static final int MAX_NODE_PART = 31;
    /** The largest sequence number within one millisecond: 4095. */
    public static final int MAX_SEQUENCE = 4095;

    static final int SEQUENCE_BITS = 12;
    static final int WORKER_BITS = 5;
    static final int DATACENTER_BITS = 5;
    static final int WORKER_SHIFT = SEQUENCE_BITS;
    static final int DATACENTER_SHIFT = SEQUENCE_BITS + WORKER_BITS;
    static final int TIME_SHIFT = SEQUENCE_BITS + WORKER_BITS + DATACENTER_BITS;
    /** The last millisecond 41 bits can hold: in 2079. */
    static final long MAX_ELAPSED_MILLIS = (1L << 41) - 1;

    /** Checks the parts' ranges. */
    public SnowflakeId {
        if (time == null) {
            throw new IllegalArgumentException("time must be given");
        }
        long elapsed = time.toEpochMilli() - EPOCH_MILLIS;
        if (elapsed < 0 || elapsed > MAX_ELAPSED_MILLIS) {
            throw new IllegalArgumentException("time must be from 2010-01-01T00:00:00Z for 2^41 ms, but was " + time);
        }
        part("datacenterId", datacenterId, MAX_NODE_PART);
        part("workerId", workerId, MAX_NODE_PART);
        part("sequence", sequence, MAX_SEQUENCE);
    }

    /**
     * Takes {@code id} apart.
     *
     * @throws IllegalArgumentException if {@code id} is negative (no snowflake id is)
     */
    public static SnowflakeId parse(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("a snowflake id is never negative, but was " + id);
        }
        return new SnowflakeId(Instant.ofEpochMilli((id >>> TIME_SHIFT) + EPOCH_MILLIS),
                (int) (id >>> DATACENTER_SHIFT) & MAX_NODE_PART,
                (int) (id >>> WORKER_SHIFT) & MAX_NODE_PART,
                (int) id & MAX_SEQUENCE);
    }

    /** The id itself. */
    public long toLong() {
        return compose(time.toEpochMilli(), datacenterId, workerId, sequence);
    }

    /** The id of these parts, unchecked: the caller keeps them in range. */
    static long compose(long epochMillis, int datacenterId, int workerId, int sequence) {
        return ((epochMillis - EPOCH_MILLIS) << TIME_SHIFT) | ((long) datacenterId << DATACENTER_SHIFT)
                | ((long) workerId << WORKER_SHIFT) | sequence;
    }

    private static void part(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be from 0 to " + max + " but was " + value);
        }
    }
}
