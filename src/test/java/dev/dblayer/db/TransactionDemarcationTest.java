package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.db.TransactionDemarcation.RollbackRule;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

class TransactionDemarcationTest {

    /** Methods whose annotations give the rules under test. */
    @SuppressWarnings("unused")
    private static final class Annotated {
        @Transactional
        void plain() {
        }

        @Transactional(rollbackOn = IOException.class)
        void rollbackOnIo() {
        }

        @Transactional(dontRollbackOn = IllegalStateException.class)
        void dontRollbackOnIllegalState() {
        }

        @Transactional(rollbackOn = IOException.class, dontRollbackOn = FileNotFoundException.class)
        void rollbackOnIoExceptFileNotFound() {
        }

        @Transactional(rollbackOn = IOException.class, dontRollbackOn = IOException.class)
        void bothListIo() {
        }
    }

    private static RollbackRule rule(String method) throws NoSuchMethodException {
        return RollbackRule.of(Annotated.class.getDeclaredMethod(method).getAnnotation(Transactional.class));
    }

    @Test
    void rollsBackOnRuntimeExceptionsAndErrorsByDefault() throws Exception {
        assertTrue(RollbackRule.DEFAULT.rollsBackOn(new IllegalArgumentException()), "a runtime exception rolls back");
        assertTrue(RollbackRule.DEFAULT.rollsBackOn(new AssertionError()), "an error rolls back");
        assertTrue(rule("plain").rollsBackOn(new IllegalStateException()),
                "a plain @Transactional rolls back on a runtime exception");
    }

    @Test
    void commitsOnCheckedExceptionsByDefault() throws Exception {
        assertFalse(RollbackRule.DEFAULT.rollsBackOn(new IOException()), "a checked exception commits");
        assertFalse(rule("plain").rollsBackOn(new SQLException()),
                "a plain @Transactional commits on a checked exception");
    }

    @Test
    void rollbackOnMakesCheckedExceptionsAndTheirSubclassesRollBack() throws Exception {
        RollbackRule rule = rule("rollbackOnIo");
        assertTrue(rule.rollsBackOn(new IOException()), "a listed checked exception rolls back");
        assertTrue(rule.rollsBackOn(new FileNotFoundException()), "a subclass of a listed exception rolls back");
        assertFalse(rule.rollsBackOn(new SQLException()), "an unlisted checked exception still commits");
        assertTrue(rule.rollsBackOn(new IllegalStateException()), "runtime exceptions still roll back");
    }

    @Test
    void dontRollbackOnMakesRuntimeExceptionsCommit() throws Exception {
        RollbackRule rule = rule("dontRollbackOnIllegalState");
        assertFalse(rule.rollsBackOn(new IllegalStateException()), "a listed runtime exception commits");
        assertTrue(rule.rollsBackOn(new IllegalArgumentException()), "an unlisted runtime exception rolls back");
    }

    @Test
    void dontRollbackOnTakesPrecedenceOverRollbackOn() throws Exception {
        RollbackRule narrower = rule("rollbackOnIoExceptFileNotFound");
        assertFalse(narrower.rollsBackOn(new FileNotFoundException()),
                "dontRollbackOn on a subclass wins over rollbackOn on its superclass");
        assertTrue(narrower.rollsBackOn(new IOException()), "the rest of rollbackOn still rolls back");
        assertFalse(rule("bothListIo").rollsBackOn(new IOException()),
                "an exception in both lists commits: dontRollbackOn wins");
    }

    @Test
    void anyExceptionRollsBackOnCheckedAndUncheckedExceptions() {
        assertTrue(RollbackRule.ANY_EXCEPTION.rollsBackOn(new IOException()), "a checked exception rolls back");
        assertTrue(RollbackRule.ANY_EXCEPTION.rollsBackOn(new IllegalStateException()),
                "a runtime exception rolls back");
        assertTrue(RollbackRule.ANY_EXCEPTION.rollsBackOn(new OutOfMemoryError()), "an error rolls back");
        assertTrue(new RollbackRule(new Class<?>[0], new Class<?>[] {IOException.class}, true)
                .rollsBackOn(new SQLException()), "with checked roll-back, unlisted checked exceptions roll back");
        assertFalse(new RollbackRule(new Class<?>[0], new Class<?>[] {IOException.class}, true)
                .rollsBackOn(new IOException()), "dontRollbackOn wins even over checked roll-back");
    }
}
