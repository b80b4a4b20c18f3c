package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.db.TransactionDemarcation.RollbackRule;
import dev.dblayer.server.fixtures.Account;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.MapConfig;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional.TxType;

/**
 * Concurrent transfers between accounts, each in its own request's EntityManager and transaction
 * (the module's {@link Database}, {@link EntityManagerProducer} and {@link TransactionDemarcation}), with
 * failures injected at random: an exception in the middle of the method (after the debit was
 * flushed, before the credit) and a unique constraint violated at commit. A reader sums the balances
 * all along. The total never changes, no reader ever sees a partial transfer, and every account ends
 * exactly where the committed transfers alone put it.
 */
class TransferAtomicityIT {

    private static final String DATABASE = "dblayer_direct_transfer";
    private static final int ACCOUNTS = 10;
    private static final long OPENING_BALANCE = 1_000;
    private static final int THREADS = 6;
    private static final int TRANSFERS_PER_THREAD = 250;
    private static final String TAKEN = "taken-name";

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
    void concurrentTransfersWithInjectedFailuresNeverChangeTheTotalNorShowAPartialWrite(DatabaseType type)
            throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        database = new Database(new MapConfig(db.settingsMap("database.pool.size", "4",
                "database.pool.max-overflow", "6")));
        database.start();
        EntityManagerProducer requests = new EntityManagerProducer(database);
        inRequest(requests, em -> {
            for (long id = 1; id <= ACCOUNTS; id++) {
                em.persist(new Account(id, OPENING_BALANCE));
            }
            em.persist(new Item(TAKEN));
        });
        long total = ACCOUNTS * OPENING_BALANCE;
        assertEquals(total, sum(), "the accounts open with the total");

        Map<Long, AtomicLong> expected = new ConcurrentHashMap<>();
        for (long id = 1; id <= ACCOUNTS; id++) {
            expected.put(id, new AtomicLong(OPENING_BALANCE));
        }
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger failedInMethod = new AtomicInteger();
        AtomicInteger failedAtCommit = new AtomicInteger();
        AtomicInteger otherFailures = new AtomicInteger();
        List<String> unexpected = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        List<Long> wrongSums = new ArrayList<>();
        AtomicInteger reads = new AtomicInteger();

        Thread reader = new Thread(() -> {
            try (Connection connection = LocalDatabases.connect(type, DATABASE);
                    Statement query = connection.createStatement()) {
                for (int i = 0; i < 100_000 && !done.get(); i++) {
                    try (ResultSet result = query.executeQuery("SELECT SUM(balance) FROM dbl_account")) {
                        result.next();
                        long seen = result.getLong(1);
                        reads.incrementAndGet();
                        if (seen != total) {
                            synchronized (wrongSums) {
                                wrongSums.add(seen);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                synchronized (unexpected) {
                    unexpected.add("reader: " + e);
                }
            }
        }, "balance-reader");
        reader.start();

        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 7919L * (t + 1);
            Thread worker = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < TRANSFERS_PER_THREAD; i++) {
                    long from = 1 + random.nextInt(ACCOUNTS);
                    long to = 1 + (from + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    long amount = 1 + random.nextInt(50);
                    int fate = random.nextInt(100);
                    try {
                        inRequest(requests, em -> transfer(em, from, to, amount, fate));
                        expected.get(from).addAndGet(-amount);
                        expected.get(to).addAndGet(amount);
                        committed.incrementAndGet();
                    } catch (InjectedFailure e) {
                        failedInMethod.incrementAndGet();
                    } catch (RuntimeException e) {
                        if (fate >= 85) {
                            failedAtCommit.incrementAndGet();
                        } else {
                            otherFailures.incrementAndGet();
                            synchronized (unexpected) {
                                unexpected.add(e.toString());
                            }
                        }
                    }
                }
            }, "transfer-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(120));
        }
        done.set(true);
        reader.join(TimeUnit.SECONDS.toMillis(30));

        System.out.printf("%s: %d transfers committed, %d failed in the method, %d failed at commit, %d other;"
                + " %d concurrent sums read, %d wrong%n", type, committed.get(), failedInMethod.get(),
                failedAtCommit.get(), otherFailures.get(), reads.get(), wrongSums.size());
        assertEquals(List.of(), unexpected, "no failure other than the injected ones on " + type);
        assertTrue(committed.get() > 0 && failedInMethod.get() > 0 && failedAtCommit.get() > 0,
                "transfers committed and both kinds of failure happened on " + type);
        assertEquals(THREADS * TRANSFERS_PER_THREAD,
                committed.get() + failedInMethod.get() + failedAtCommit.get(), "every transfer ran to its end");
        assertTrue(reads.get() > 10, "the reader summed the balances while transfers ran: " + reads.get());
        assertEquals(List.of(), wrongSums, "no concurrent reader ever saw a total other than " + total
                + " (a partial transfer) on " + type);
        assertEquals(total, sum(), "the total is unchanged after all transfers on " + type);
        for (long id = 1; id <= ACCOUNTS; id++) {
            assertEquals(expected.get(id).get(), balance(id), "account " + id
                    + " holds exactly what the committed transfers left it; failed ones wrote nothing, on " + type);
        }
        assertEquals(0, database.poolStatistics().orElseThrow().active(),
                "every connection is back in the pool");
    }

    /** Locks both accounts in id order (no deadlock), debits, flushes, then fails or credits as {@code fate} says. */
    private static void transfer(EntityManager em, long from, long to, long amount, int fate) {
        Account first = em.find(Account.class, Math.min(from, to), LockModeType.PESSIMISTIC_WRITE);
        Account second = em.find(Account.class, Math.max(from, to), LockModeType.PESSIMISTIC_WRITE);
        Account source = first.getId() == from ? first : second;
        Account target = source == first ? second : first;
        source.setBalance(source.getBalance() - amount);
        em.flush(); // the debit is in the database, uncommitted
        if (fate >= 70 && fate < 85) {
            throw new InjectedFailure();
        }
        target.setBalance(target.getBalance() + amount);
        if (fate >= 85) {
            em.persist(new Item(TAKEN)); // violates the unique name at commit
        }
    }

    /** One request: its own EntityManager from the module's producer, one @Transactional-like call, disposed. */
    private static void inRequest(EntityManagerProducer requests, java.util.function.Consumer<EntityManager> work) {
        UnitsOfWork units = requests.unitsOfWork();
        EntityManager em = units.view();
        try {
            TransactionDemarcation.execute(units, TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
                work.accept(em);
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            requests.close(units);
        }
    }

    private long sum() throws Exception {
        return query("SELECT SUM(balance) FROM dbl_account");
    }

    private long balance(long id) throws Exception {
        return query("SELECT balance FROM dbl_account WHERE id = " + id);
    }

    private long query(String sql) throws Exception {
        try (Connection connection = LocalDatabases.connect(db.type, DATABASE);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The exception injected in the middle of a transfer. */
    static final class InjectedFailure extends RuntimeException {
        InjectedFailure() {
            super("injected failure between debit and credit");
        }
    }
}
