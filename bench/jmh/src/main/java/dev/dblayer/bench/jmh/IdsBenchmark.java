package dev.dblayer.bench.jmh;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.dblayer.snowflake.Snowflake;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Ids per second: one {@link Snowflake} (a fixed node id, as outside CDI) shared by 1 and by 16
 * threads, against {@link UUID#randomUUID()} and its string (what {@code Uuids} stores) at the same
 * thread counts. JMH's throughput of a 16-thread benchmark is the sum over its threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IdsBenchmark {

    private Snowflake snowflake;

    @Setup
    public void start() {
        snowflake = Snowflake.withFixedNode(31, 31);
    }

    @Benchmark
    @Threads(1)
    public long snowflake1() {
        return snowflake.next();
    }

    @Benchmark
    @Threads(16)
    public long snowflake16() {
        return snowflake.next();
    }

    @Benchmark
    @Threads(1)
    public UUID uuid1() {
        return UUID.randomUUID();
    }

    @Benchmark
    @Threads(16)
    public UUID uuid16() {
        return UUID.randomUUID();
    }

    @Benchmark
    @Threads(1)
    public String uuidString1() {
        return UUID.randomUUID().toString();
    }

    @Benchmark
    @Threads(16)
    public String uuidString16() {
        return UUID.randomUUID().toString();
    }
}
