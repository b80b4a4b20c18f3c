package dev.dblayer.server.saturated;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.dblayer.db.Database;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Threads of the application's own that use the pool as requests do: each borrows a connection,
 * runs one query and closes it. Threads of its own rather than HTTP requests, so that load stuck
 * on a hung database cannot take the server's request threads, which the health probes need too
 * (Open Liberty starts with two per core and adds more only slowly).
 */
@ApplicationScoped
public class Load {

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    @Inject
    Database database;

    /** {@code connections} threads, each holding a connection in {@code pg_sleep(seconds)} once. */
    public void sleep(int connections, double seconds) {
        start(connections, "SELECT pg_sleep(" + seconds + ")", false);
    }

    /** {@code count} threads reading ({@code SELECT 1}) again and again, 5 ms apart, until {@link #stop}. */
    public void reads(int count) {
        start(count, "SELECT 1", true);
    }

    /** Reads that succeeded and failed so far: {@code "ok failed"}. */
    public String counts() {
        return succeeded.get() + " " + failed.get();
    }

    @PreDestroy
    void close() {
        stop();
    }

    /** Stops the threads and waits for them (at most 30 s); then the counts. */
    public String stop() {
        stopped.set(true);
        long end = System.nanoTime() + 30_000_000_000L;
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
        String counts = counts();
        stopped.set(false);
        succeeded.set(0);
        failed.set(0);
        return counts;
    }

    private void start(int count, String sql, boolean repeat) {
        DataSource pool = database.dataSource();
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                do {
                    try (Connection connection = pool.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                        succeeded.incrementAndGet();
                    } catch (SQLException e) {
                        failed.incrementAndGet();
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                } while (repeat && !stopped.get());
            }, "saturated-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }
}
