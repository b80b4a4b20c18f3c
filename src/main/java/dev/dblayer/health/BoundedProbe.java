package dev.dblayer.health;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.dblayer.internal.Errors;

/**
 * Runs one probe at a time on a single thread of its own and waits for it no longer than a
 * deadline. A caller that comes while a probe is still running (a hung dependency) waits for that
 * same probe instead of starting another, so repeated probes never pile up threads or
 * connections: one thread and whatever one probe holds, however many callers time out.
 *
 * <p>Its own thread, not the server's managed executor: it must run on Liberty without the
 * concurrent feature, and it runs no application code. Thread-safe.
 */
final class BoundedProbe<T> implements AutoCloseable {

    private final ExecutorService thread;
    private Future<T> running;
    /** Why the last finished run failed, or null after a success: a run outliving the deadline hides it otherwise. */
    private volatile String lastFailure;

    BoundedProbe(String threadName) {
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The probe's result, from a new run of {@code probe} or from the run still in progress.
     *
     * @throws TimeoutException   if no result came within {@code deadline}; the run goes on
     * @throws ExecutionException if the probe threw; its cause is the probe's exception
     */
    T run(Callable<T> probe, Duration deadline) throws TimeoutException, ExecutionException, InterruptedException {
        Future<T> current;
        synchronized (this) {
            if (running == null || running.isDone()) {
                running = thread.submit(() -> recorded(probe));
            }
            current = running;
        }
        return current.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    private T recorded(Callable<T> probe) throws Exception {
        try {
            T result = probe.call();
            lastFailure = null;
            return result;
        } catch (Exception e) {
            lastFailure = Errors.rootMessage(e);
            throw e;
        }
    }

    /** Why the last finished run failed, or null after a success. */
    String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
