package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.db.TransactionScope.RollbackRule;
import dev.dblayer.server.fixtures.Item;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.RollbackException;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.TransactionalException;

/** {@link TransactionScope} on a real EclipseLink EntityManager, on the local PostgreSQL and MariaDB. */
class TransactionScopeIT {

    private static final String DATABASE = "dblayer_direct_tx";

    private DirectDatabase db;
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
        em = db.deploy(db.pool(settings), settings).createEntityManager();
        em.setFlushMode(FlushModeType.COMMIT);
        db.closedAtEnd(em::close);
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
        TransactionScope.execute(em.getTransaction(), TxType.REQUIRED, RollbackRule.DEFAULT, () -> persist(name));
        assertEquals(1, db.itemsNamed(name), "the row is committed when the work returns on " + type);
        assertFalse(em.getTransaction().isActive(), "no transaction is left open");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void rollsBackOnRuntimeException(DatabaseType type) throws Exception {
        open(type);
        String name = unique("rollback");
        long before = db.rows("dbl_item").orElseThrow();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> TransactionScope.execute(
                em.getTransaction(), TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
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
        assertThrows(IOException.class, () -> TransactionScope.execute(em.getTransaction(), TxType.REQUIRED,
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
        assertThrows(RollbackException.class, () -> TransactionScope.execute(em.getTransaction(), TxType.REQUIRED,
                RollbackRule.DEFAULT, () -> {
                    persist(outer);
                    try {
                        TransactionScope.execute(em.getTransaction(), TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
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
        assertThrows(TransactionalException.class, () -> TransactionScope.execute(em.getTransaction(),
                TxType.MANDATORY, RollbackRule.DEFAULT, () -> persist(name)), "MANDATORY needs a transaction");
        assertEquals(0, db.itemsNamed(name), "the work did not run on " + type);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void neverInsideATransactionIsRefused(DatabaseType type) throws Exception {
        open(type);
        assertThrows(TransactionalException.class, () -> TransactionScope.execute(em.getTransaction(),
                TxType.REQUIRED, RollbackRule.DEFAULT, () -> TransactionScope.execute(em.getTransaction(),
                        TxType.NEVER, RollbackRule.DEFAULT, () -> "ran")),
                "NEVER inside a transaction is refused on " + type);
    }

    private static String unique(String label) {
        return label + "-" + UUID.randomUUID();
    }
}
