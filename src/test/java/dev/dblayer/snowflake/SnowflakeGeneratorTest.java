package dev.dblayer.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class SnowflakeGeneratorTest {

    /** A clock that stands still until a wait moves it on by the time waited. */
    static final class TestClock implements SnowflakeGenerator.Clock {
        long now;
        long slept;

        TestClock(long now) {
            this.now = now;
        }

        @Override
        public long millis() {
            return now;
        }

        @Override
        public void sleep(long millis) {
            slept += millis;
            now += millis;
        }
    }

    private static final long T = Instant.parse("2026-12-02T12:00:00Z").toEpochMilli();
    private static final NodeId NODE = new NodeId(3, 17);

    @Test
    void layoutIsTwittersWithTheOriginalEpoch() {
        SnowflakeGenerator generator = new SnowflakeGenerator(() -> NODE, new TestClock(T));
        long id = generator.next();
        // (ms since 2010-01-01) << 22 | datacenter << 17 | worker << 12 | sequence, as the original computes it
        long expected = ((T - 1262275200000L) << 22) | (3L << 17) | (17L << 12);
        assertEquals(expected, id, "the first id of a millisecond is the original's layout with sequence 0");
        assertEquals(new SnowflakeId(Instant.ofEpochMilli(T), 3, 17, 0), SnowflakeId.parse(id),
                "parse gives back time, datacenter, worker and sequence");
        assertEquals(id, SnowflakeId.parse(id).toLong(), "toLong is parse's inverse");
    }

    @Test
    void idsWithinOneMillisecondCountTheSequenceUp() {
        TestClock clock = new TestClock(T);
        SnowflakeGenerator generator = new SnowflakeGenerator(() -> NODE, clock);
        long previous = generator.next();
        for (int i = 1; i <= SnowflakeId.MAX_SEQUENCE; i++) {
            long id = generator.next();
            assertTrue(id > previous, "ids increase");
            assertEquals(i, SnowflakeId.parse(id).sequence(), "the sequence counts within the millisecond");
            previous = id;
        }
        assertEquals(0, clock.slept, "4096 ids fit in one millisecond");
        long next = generator.next();
        assertEquals(T + 1, SnowflakeId.parse(next).time().toEpochMilli(), "the 4097th waits for the next millisecond");
        assertEquals(0, SnowflakeId.parse(next).sequence(), "and starts its sequence again");
        assertTrue(next > previous, "ids still increase");
    }

    @Test
    void waitsOutAClockThatWentBackByTenSecondsAtMost() {
        TestClock clock = new TestClock(T);
        SnowflakeGenerator generator = new SnowflakeGenerator(() -> NODE, clock);
        long before = generator.next();
        clock.now = T - SnowflakeGenerator.MAX_BACKWARD_MILLIS;
        long after = generator.next();
        assertTrue(after > before, "an id after the clock went back is still larger");
        assertTrue(clock.slept >= SnowflakeGenerator.MAX_BACKWARD_MILLIS, "it waited until the clock caught up: "
                + clock.slept + " ms");
    }

    @Test
    void refusesWhenTheClockWentBackFurther() {
        TestClock clock = new TestClock(T);
        SnowflakeGenerator generator = new SnowflakeGenerator(() -> NODE, clock);
        generator.next();
        clock.now = T - SnowflakeGenerator.MAX_BACKWARD_MILLIS - 1;
        IllegalStateException refused = assertThrows(IllegalStateException.class, generator::next,
                "a clock more than 10 s back is an error");
        assertTrue(refused.getMessage().contains("moved back by 10001 ms"), "the message says how far: "
                + refused.getMessage());
    }

    @Test
    void checksTheLeaseAgainAfterAWait() {
        TestClock clock = new TestClock(T);
        AtomicReference<NodeId> node = new AtomicReference<>(NODE);
        SnowflakeGenerator generator = new SnowflakeGenerator(() -> {
            if (clock.slept > 0) {
                throw new IllegalStateException("lease ran out");
            }
            return node.get();
        }, clock);
        generator.next();
        clock.now = T - 1000; // waits a second, during which the lease runs out
        IllegalStateException refused = assertThrows(IllegalStateException.class, generator::next,
                "no id is made under a lease that ran out while it waited");
        assertEquals("lease ran out", refused.getMessage(), "the lease's refusal comes through");
    }

    @Test
    void aNodeThatMayNotIssueMakesNoId() {
        SnowflakeGenerator generator = new SnowflakeGenerator(() -> {
            throw new IllegalStateException("no lease");
        }, new TestClock(T));
        assertThrows(IllegalStateException.class, generator::next, "the node's refusal stops the id");
    }

    @Test
    void parseRefusesNegativeIds() {
        assertThrows(IllegalArgumentException.class, () -> SnowflakeId.parse(-1), "no snowflake id is negative");
    }

    @Test
    void aFixedNodeGeneratorNeedsNoRedis() {
        Snowflake snowflake = Snowflake.withFixedNode(7, 30);
        SnowflakeId first = snowflake.parse(snowflake.next());
        assertEquals(7, first.datacenterId(), "datacenter");
        assertEquals(30, first.workerId(), "worker");
        assertTrue(snowflake.next() > first.toLong(), "increasing");
        assertThrows(IllegalArgumentException.class, () -> Snowflake.withFixedNode(32, 0), "datacenter 32 is refused");
    }
}
