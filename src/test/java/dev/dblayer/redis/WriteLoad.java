package dev.dblayer.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import redis.clients.jedis.UnifiedJedis;

/**
 * A steady load through one client: a thread that writes a key and reads it back, over
 * {@code keyCount} keys (spread over the slots of a cluster), and notes every operation that failed
 * or took longer than {@link #SLOW_MILLIS}. Measures how long writes were disturbed.
 */
final class WriteLoad implements AutoCloseable {

    static final long SLOW_MILLIS = 200;

    /** A failed or slow operation: when it ended (nanoTime) and what went wrong. */
    record Disturbance(long endNanos, String what) {
    }

    private final UnifiedJedis client;
    private final String prefix;
    private final int keyCount;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong succeeded = new AtomicLong();
    private final List<Disturbance> disturbances = new ArrayList<>();
    private final Thread thread;

    WriteLoad(UnifiedJedis client, String prefix, int keyCount) {
        this.client = client;
        this.prefix = prefix;
        this.keyCount = keyCount;
        this.thread = new Thread(this::run, "write-load");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long i = 0;
        while (running.get()) {
            String key = prefix + (i % keyCount);
            String value = Long.toString(i++);
            long start = System.nanoTime();
            try {
                client.set(key, value);
                String read = client.get(key);
                long end = System.nanoTime();
                if (!value.equals(read)) {
                    note(end, "read " + read + " after writing " + value + " to " + key);
                } else if ((end - start) / 1_000_000 > SLOW_MILLIS) {
                    note(end, "slow: " + (end - start) / 1_000_000 + " ms on " + key);
                } else {
                    succeeded.incrementAndGet();
                }
            } catch (RuntimeException e) {
                note(System.nanoTime(), e.getClass().getSimpleName() + ": " + e.getMessage());
                pause(20);
            }
            pause(1);
        }
    }

    private synchronized void note(long end, String what) {
        disturbances.add(new Disturbance(end, what));
    }

    /** The disturbances that ended after {@code sinceNanos}. */
    synchronized List<Disturbance> since(long sinceNanos) {
        return disturbances.stream().filter(d -> d.endNanos() > sinceNanos).toList();
    }

    /** Operations that went through quickly so far. */
    long succeeded() {
        return succeeded.get();
    }

    /**
     * Waits until {@code quietMillis} have passed with no disturbance (at most {@code boundMillis}
     * after {@code sinceNanos}); answers when the last disturbance after {@code sinceNanos} ended, or
     * {@code sinceNanos} when there was none, or -1 when the load never went quiet.
     */
    long awaitQuiet(long sinceNanos, long quietMillis, long boundMillis) {
        long bound = sinceNanos + boundMillis * 1_000_000;
        while (System.nanoTime() < bound) {
            List<Disturbance> seen = since(sinceNanos);
            long last = seen.isEmpty() ? sinceNanos : seen.get(seen.size() - 1).endNanos();
            long quietSince = Math.max(last, sinceNanos);
            if (System.nanoTime() - quietSince > quietMillis * 1_000_000 && succeeded() > 0) {
                return last;
            }
            pause(50);
        }
        return -1;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
