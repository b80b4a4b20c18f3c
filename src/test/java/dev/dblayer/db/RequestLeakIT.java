package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import dev.dblayer.db.TransactionDemarcation.RollbackRule;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.testsupport.MapConfig;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional.TxType;

/**
 * 10,000 requests through the module's {@link Database}, request EntityManagers and transactions,
 * one in ten failing (an exception after a flushed insert, or a transaction left open for the end
 * of the request to roll back): afterwards the pool has no active connection and the database has
 * no more sessions than the pool keeps idle; closing the module (what undeploy does) leaves none.
 */
class RequestLeakIT {

    private static final String DATABASE = "dblayer_direct_leak";
    private static final int REQUESTS = 10_000;
    private static final int THREADS = 8;
    private static final int POOL_SIZE = 3;

    private DirectDatabase db;
    private Database database;

    @AfterEach
    void closeAndDrop() throws Exception {
        if (database != null) {
            database.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void tenThousandRequestsWithTenPercentFailingLeaveNoConnectionBehind(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        database = new Database(new MapConfig(db.settingsMap("database.pool.size", Integer.toString(POOL_SIZE),
                "database.pool.max-overflow", "5", "database.pool.timeout", "5s")));
        database.start();
        EntityManagerProducer requests = new EntityManagerProducer(database);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger leftOpen = new AtomicInteger();
        List<String> unexpected = new ArrayList<>();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread worker = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                    UnitsOfWork units = requests.unitsOfWork();
                    EntityManager em = units.view();
                    try {
                        request(units, i);
                    } catch (IllegalStateException expected) {
                        failed.incrementAndGet();
                    } catch (Exception e) {
                        synchronized (unexpected) {
                            unexpected.add(e.toString());
                        }
                    } finally {
                        if (em.getTransaction().isActive()) {
                            leftOpen.incrementAndGet();
                        }
                        requests.close(units);
                    }
                }
            }, "leak-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(120));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        PoolStatistics pool = database.poolStatistics().orElseThrow();
        long sessions = db.serverConnections();
        System.out.printf("%s: %d requests in %d ms, %d failed, %d left a transaction open; pool active %d,"
                + " idle %d, total %d; database sessions %d%n", type, REQUESTS, millis, failed.get(), leftOpen.get(),
                pool.active(), pool.idle(), pool.active() + pool.idle(), sessions);
        assertEquals(List.of(), unexpected, "no failure other than the injected ones on " + type);
        assertEquals(REQUESTS / 20, failed.get(), "one request in twenty failed with an exception");
        assertEquals(REQUESTS / 20, leftOpen.get(), "one request in twenty left its transaction open");
        assertEquals(REQUESTS / 2, db.rows("dbl_item").orElseThrow(),
                "only the committed inserts are in the table: the failed and abandoned ones were rolled back");
        assertEquals(0, pool.active(), "no connection is still borrowed after the requests on " + type);
        assertEquals(0, pool.waiting(), "nobody waits for a connection");
        assertTrue(sessions <= pool.idle(), "the database has no more sessions (" + sessions
                + ") than the pool keeps idle (" + pool.idle() + ") on " + type);

        database.close();
        long afterClose = awaitSessions(0);
        database = null;
        assertEquals(0, afterClose, "closing the module leaves no session on " + type);
    }

    /**
     * Request {@code i}: every other one inserts and commits, the rest read; one in twenty throws after
     * a flushed insert, one in twenty begins a transaction, inserts and flushes, and never ends it.
     */
    private static void request(UnitsOfWork units, int i) throws Exception {
        EntityManager em = units.view();
        if (i % 20 == 0) {
            TransactionDemarcation.execute(units, TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
                em.persist(new Item("failed-" + i));
                em.flush();
                throw new IllegalStateException("injected failure");
            });
        } else if (i % 20 == 10) {
            em.getTransaction().begin();
            em.persist(new Item("abandoned-" + i));
            em.flush();
        } else if (i % 2 == 1) {
            TransactionDemarcation.execute(units, TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
                em.persist(new Item("committed-" + i));
                return null;
            });
        } else {
            em.createQuery("SELECT COUNT(i) FROM Item i", Long.class).getSingleResult();
        }
    }

    private long awaitSessions(long target) throws Exception {
        long sessions = db.serverConnections();
        for (int i = 0; i < 100 && sessions > target; i++) {
            Thread.sleep(100);
            sessions = db.serverConnections();
        }
        return sessions;
    }
}
