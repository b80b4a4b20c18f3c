package dev.dblayer.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests flowing while a test breaks a dependency: a few threads run one piece of work again and
 * again, a few milliseconds apart, and record when each attempt started and ended and how it went.
 * Bounded: each thread stops after {@code maxPerThread} attempts or when {@link #stop()} is called.
 * <pre>{@code
 * try (RequestLoad load = RequestLoad.start(4, 5000, () -> query())) { ... }
 * }</pre>
 */
public final class RequestLoad implements AutoCloseable {

    /** One attempt: nanoTime at start and end, and the failure, or {@code null} when it succeeded. */
    public record Attempt(long startNanos, long endNanos, Throwable failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private static final long PAUSE_MILLIS = 5;

    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private RequestLoad() {
    }

    /** Starts {@code threads} threads running {@code work} until stopped, at most {@code maxPerThread} times each. */
    public static RequestLoad start(int threads, int maxPerThread, Callable<?> work) {
        RequestLoad load = new RequestLoad();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < maxPerThread && !load.stopped.get(); i++) {
                    long start = System.nanoTime();
                    Throwable failure = null;
                    try {
                        work.call();
                    } catch (Throwable e) {
                        failure = e;
                    }
                    load.attempts.add(new Attempt(start, System.nanoTime(), failure));
                    try {
                        Thread.sleep(PAUSE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "request-load-" + t);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    /** Stops the threads and waits for their current attempts to end (at most 30 s). */
    public List<Attempt> stop() throws InterruptedException {
        stopped.set(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return attempts();
    }

    /** The attempts so far. */
    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Attempts that started at or after {@code nanos}. */
    public static List<Attempt> startedAfter(List<Attempt> attempts, long nanos) {
        return attempts.stream().filter(a -> a.startNanos() >= nanos).toList();
    }

    /** Attempts that ended before {@code nanos}. */
    public static List<Attempt> endedBefore(List<Attempt> attempts, long nanos) {
        return attempts.stream().filter(a -> a.endNanos() < nanos).toList();
    }

    /** Milliseconds from {@code nanos} to the end of the first successful attempt that ended after it; -1 if none. */
    public static long millisToFirstSuccessAfter(List<Attempt> attempts, long nanos) {
        return attempts.stream().filter(a -> a.ok() && a.endNanos() >= nanos)
                .mapToLong(a -> TimeUnit.NANOSECONDS.toMillis(a.endNanos() - nanos)).min().orElse(-1);
    }

    /** A short description of the first failure among {@code attempts}, for assertion messages. */
    public static String firstFailure(List<Attempt> attempts) {
        return attempts.stream().filter(a -> !a.ok()).findFirst()
                .map(a -> a.failure().getClass().getName() + ": " + a.failure().getMessage()).orElse("(none)");
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
