package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLTransientConnectionException;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.db.TransactionDemarcation.RollbackRule;
import dev.dblayer.server.fixtures.Item;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.RollbackException;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.TransactionalException;

/** {@link TransactionDemarcation} on a real EclipseLink EntityManager, on the local PostgreSQL and MariaDB. */
class TransactionDemarcationIT {

    private static final String DATABASE = "dblayer_direct_tx";

    private DirectDatabase db;
    private UnitsOfWork units;
    private EntityManager em;

    @AfterEach
    void dropTheDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private void open(DatabaseType type) {
        db = DirectDatabase.fresh(type, DATABASE);
        DatabaseSettings settings = db.settings();
        deployOn(settings);
    }

    private void deployOn(DatabaseSettings settings) {
        EntityManagerFactory factory = db.deploy(db.pool(settings), settings);
        units = new UnitsOfWork(() -> {
            EntityManager opened = factory.createEntityManager();
            opened.setFlushMode(FlushModeType.COMMIT);
            return opened;
        });
        db.closedAtEnd(units::closeAll);
        em = units.view();
    }

    private Object persist(String name) {
        em.persist(new Item(name));
        return null;
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void commitsWhenTheWorkReturns(DatabaseType type) throws Exception {
        open(type);
        String name = unique("commit");
        TransactionDemarcation.execute(units, TxType.REQUIRED, RollbackRule.DEFAULT, () -> persist(name));
        assertEquals(1, db.itemsNamed(name), "the row is committed when the work returns on " + type);
        assertFalse(em.getTransaction().isActive(), "no transaction is left open");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void rollsBackOnRuntimeException(DatabaseType type) throws Exception {
        open(type);
        String name = unique("rollback");
        long before = db.rows("dbl_item").orElseThrow();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> TransactionDemarcation.execute(
                units, TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
                    persist(name);
                    em.flush();
                    throw new IllegalStateException("boom");
                }), "the work's exception reaches the caller");
        assertEquals("boom", error.getMessage(), "the work's own exception is rethrown");
        assertEquals(before, db.rows("dbl_item").orElseThrow(), "the row count is unchanged on " + type);
        assertFalse(em.getTransaction().isActive(), "no transaction is left open");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void commitsOnCheckedExceptionByDefault(DatabaseType type) throws Exception {
        open(type);
        String name = unique("checked");
        assertThrows(IOException.class, () -> TransactionDemarcation.execute(units, TxType.REQUIRED,
                RollbackRule.DEFAULT, () -> {
                    persist(name);
                    throw new IOException("checked");
                }), "the checked exception reaches the caller");
        assertEquals(1, db.itemsNamed(name), "a checked exception commits under the default rule on " + type);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void failedJoinedCallMakesTheOuterCommitThrow(DatabaseType type) throws Exception {
        open(type);
        String outer = unique("outer");
        String inner = unique("inner");
        assertThrows(RollbackException.class, () -> TransactionDemarcation.execute(units, TxType.REQUIRED,
                RollbackRule.DEFAULT, () -> {
                    persist(outer);
                    try {
                        TransactionDemarcation.execute(units, TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
                            persist(inner);
                            throw new IllegalArgumentException("inner fails");
                        });
                    } catch (IllegalArgumentException expected) {
                        // the outer work carries on, as a caller that catches the exception would
                    }
                    return null;
                }), "the outer commit throws RollbackException after a joined call failed");
        assertEquals(0, db.itemsNamed(outer) + db.itemsNamed(inner), "neither row is written on " + type);
        assertFalse(em.getTransaction().isActive(), "the outer transaction was rolled back");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void mandatoryWithoutATransactionIsRefused(DatabaseType type) throws Exception {
        open(type);
        String name = unique("mandatory");
        assertThrows(TransactionalException.class, () -> TransactionDemarcation.execute(units,
                TxType.MANDATORY, RollbackRule.DEFAULT, () -> persist(name)), "MANDATORY needs a transaction");
        assertEquals(0, db.itemsNamed(name), "the work did not run on " + type);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void neverInsideATransactionIsRefused(DatabaseType type) throws Exception {
        open(type);
        assertThrows(TransactionalException.class, () -> TransactionDemarcation.execute(units,
                TxType.REQUIRED, RollbackRule.DEFAULT, () -> TransactionDemarcation.execute(units,
                        TxType.NEVER, RollbackRule.DEFAULT, () -> "ran")),
                "NEVER inside a transaction is refused on " + type);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void requiresNewCommitsOnItsOwnWhenTheCallerRollsBack(DatabaseType type) throws Exception {
        open(type);
        String outer = unique("outer");
        String audit = unique("audit");
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> required(() -> {
            persist(outer);
            em.flush(); // the caller's transaction holds a connection and an uncommitted row
            EntityManager callers = units.current();
            TransactionDemarcation.execute(units, TxType.REQUIRES_NEW, RollbackRule.DEFAULT, () -> {
                assertNotSame(callers, units.current(), "REQUIRES_NEW runs on an EntityManager of its own");
                assertTrue(em.getTransaction().isActive(), "the injected EntityManager is in the new transaction");
                assertEquals(0, count(outer), "the new unit does not see the caller's uncommitted row");
                return persist(audit);
            });
            assertSame(callers, units.current(), "the caller's EntityManager comes back afterwards");
            assertEquals(1, count(audit), "the caller sees the committed audit row");
            throw new IllegalStateException("the caller fails");
        }), "the caller's exception reaches its caller");
        assertEquals("the caller fails", error.getMessage());
        assertEquals(0, db.itemsNamed(outer), "the caller's row is rolled back on " + type);
        assertEquals(1, db.itemsNamed(audit), "the REQUIRES_NEW row stays committed on " + type);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void requiresNewRollsBackOnItsOwnWhileTheCallerCommits(DatabaseType type) throws Exception {
        open(type);
        String outer = unique("outer");
        String inner = unique("inner");
        required(() -> {
            persist(outer);
            assertThrows(IllegalArgumentException.class, () -> TransactionDemarcation.execute(units, TxType.REQUIRES_NEW,
                    RollbackRule.DEFAULT, () -> {
                        persist(inner);
                        em.flush();
                        throw new IllegalArgumentException("inner fails");
                    }), "the inner exception reaches the caller");
            assertTrue(em.getTransaction().isActive() && !em.getTransaction().getRollbackOnly(),
                    "the caller's transaction is untouched by the inner rollback");
            return null;
        });
        assertEquals(1, db.itemsNamed(outer), "the caller's row is committed on " + type);
        assertEquals(0, db.itemsNamed(inner), "the REQUIRES_NEW row is rolled back on " + type);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void notSupportedSuspendsTheCallersTransaction(DatabaseType type) throws Exception {
        open(type);
        String outer = unique("outer");
        String during = unique("during");
        required(() -> {
            persist(outer);
            em.flush();
            TransactionDemarcation.execute(units, TxType.NOT_SUPPORTED, RollbackRule.DEFAULT, () -> {
                assertFalse(em.getTransaction().isActive(), "NOT_SUPPORTED runs without a transaction");
                assertEquals(0, count(outer), "it does not see the suspended transaction's uncommitted row");
                return null;
            });
            assertTrue(em.getTransaction().isActive(), "the caller's transaction is resumed");
            return persist(during);
        });
        assertEquals(2, db.itemsNamed(outer) + db.itemsNamed(during), "the resumed transaction committed on " + type);
        assertEquals("outside", TransactionDemarcation.execute(units, TxType.NOT_SUPPORTED, RollbackRule.DEFAULT,
                () -> em.getTransaction().isActive() ? "inside" : "outside"), "without a caller it just runs");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void requiresNewWithNoConnectionLeftTimesOutInsteadOfWaitingForever(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        deployOn(db.settings("database.pool.size", "1", "database.pool.max-overflow", "0",
                "database.pool.timeout", "500ms"));
        String outer = unique("outer");
        String inner = unique("inner");
        PersistenceException error = assertThrows(PersistenceException.class, () -> required(() -> {
            persist(outer);
            em.flush(); // holds the pool's only connection
            return TransactionDemarcation.execute(units, TxType.REQUIRES_NEW, RollbackRule.DEFAULT, () -> {
                persist(inner);
                em.flush(); // needs a second connection
                return null;
            });
        }), "the inner unit's pool timeout reaches the caller");
        assertTrue(hasCause(error, SQLTransientConnectionException.class), "it is the pool's timeout: " + error);
        assertEquals(0, db.itemsNamed(outer) + db.itemsNamed(inner), "both are rolled back on " + type);
        assertFalse(em.getTransaction().isActive(), "no transaction is left open");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void queriesInATransactionDoNotFlushPendingChanges(DatabaseType type) throws Exception {
        open(type);
        String name = unique("pending");
        required(() -> {
            persist(name);
            assertEquals(0, count(name), "flush mode COMMIT: a query neither flushes nor sees the pending insert");
            em.flush();
            assertEquals(1, count(name), "after an explicit flush the query sees it");
            return null;
        });
        assertEquals(1, db.itemsNamed(name), "committed on " + type);
    }

    private <T> T required(java.util.concurrent.Callable<T> work) throws Exception {
        return TransactionDemarcation.execute(units, TxType.REQUIRED, RollbackRule.DEFAULT, work);
    }

    private long count(String name) {
        return em.createQuery("SELECT COUNT(i) FROM Item i WHERE i.name = :name", Long.class)
                .setParameter("name", name).getSingleResult();
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String unique(String label) {
        return label + "-" + UUID.randomUUID();
    }
}
