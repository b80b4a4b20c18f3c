package dev.dblayer.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.dblayer.db.TransactionDemarcation.RollbackRule;
import dev.dblayer.server.fixtures.Item;
import jakarta.transaction.Transactional.TxType;

/**
 * A steady write load through dblayer during a primary failover: writer threads commit one
 * {@link Item} each per transaction through the request EntityManager and the
 * {@code @Transactional} logic, and note every commit that was acknowledged (returned without an
 * exception) and when. Afterwards {@link #lostOn} lists the acknowledged rows missing on the new
 * primary.
 */
final class FailoverLoad implements AutoCloseable {

    private final EntityManagerProducer requests;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** System.nanoTime() of the newest acknowledged commit. */
    private final AtomicLong lastSuccess = new AtomicLong();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    FailoverLoad(Database database, int threads) {
        this.requests = new EntityManagerProducer(database);
        for (int i = 0; i < threads; i++) {
            Thread writer = new Thread(this::write, "failover-writer-" + i);
            writer.setDaemon(true);
            writers.add(writer);
            writer.start();
        }
    }

    private void write() {
        while (running) {
            String name = "w-" + next.incrementAndGet();
            UnitsOfWork units = requests.unitsOfWork();
            try {
                TransactionDemarcation.execute(units, TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
                    units.current().persist(new Item(name));
                    return null;
                });
                acknowledged.add(name);
                lastSuccess.set(System.nanoTime());
            } catch (Exception e) {
                failures.incrementAndGet();
            } finally {
                requests.close(units);
            }
        }
    }

    /** The commits acknowledged so far. */
    int acknowledged() {
        return acknowledged.size();
    }

    /** The transactions that failed so far. */
    long failures() {
        return failures.get();
    }

    /**
     * Waits until a commit is acknowledged after {@code sinceNanos} (System.nanoTime()); its time, or
     * -1 if none came within {@code limitMillis}.
     */
    long firstSuccessAfter(long sinceNanos, long limitMillis) throws InterruptedException {
        long end = System.nanoTime() + limitMillis * 1_000_000;
        while (System.nanoTime() < end) {
            long last = lastSuccess.get();
            if (last > sinceNanos) {
                return last;
            }
            Thread.sleep(2);
        }
        return -1;
    }

    /** The acknowledged rows that are not in dbl_item at {@code jdbcUrl}. */
    Set<String> lostOn(String jdbcUrl, String user) throws SQLException {
        Set<String> present = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM dbl_item")) {
            while (rows.next()) {
                present.add(rows.getString(1));
            }
        }
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(present);
        return lost;
    }

    /** Stops the writers and waits for them. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread writer : writers) {
            writer.join(10_000);
        }
    }
}
