package dev.dblayer.db;

import java.util.concurrent.Callable;

import dev.dblayer.internal.Tracing;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.TransactionRequiredException;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.TransactionalException;

/**
 * What {@code @Transactional} means for resource-local transactions: begin, join, suspend, commit
 * or roll back around one piece of work. Used by the interceptor and by {@link Transactions}; holds
 * no state and needs no container.
 *
 * <p>All six types are honoured. {@code REQUIRES_NEW} and {@code NOT_SUPPORTED} suspend the caller's
 * transaction by running the work on a unit of work of its own ({@link UnitsOfWork#inFreshUnit}):
 * a second EntityManager, and a second connection when it touches the database, while the caller's
 * transaction, and the connection it may hold, wait.
 */
final class TransactionDemarcation {

    /** The span of each transaction begun here, and its attributes. */
    static final String SPAN = "dblayer.transaction";
    static final String OUTCOME = "dblayer.transaction.outcome";
    static final String DATABASES = "dblayer.transaction.databases";

    private TransactionDemarcation() {
    }

    /** Which exceptions roll back: the {@code rollbackOn} / {@code dontRollbackOn} of {@code @Transactional}. */
    record RollbackRule(Class<?>[] rollbackOn, Class<?>[] dontRollbackOn, boolean checkedRollBack) {

        /** {@code @Transactional}'s default: unchecked exceptions and errors roll back, checked ones commit. */
        static final RollbackRule DEFAULT = new RollbackRule(new Class<?>[0], new Class<?>[0], false);
        /** The programmatic form's: every exception rolls back. */
        static final RollbackRule ANY_EXCEPTION = new RollbackRule(new Class<?>[0], new Class<?>[0], true);

        static RollbackRule of(Transactional annotation) {
            return new RollbackRule(annotation.rollbackOn(), annotation.dontRollbackOn(), false);
        }

        boolean rollsBackOn(Throwable error) {
            if (matches(dontRollbackOn, error)) {
                return false;
            }
            return checkedRollBack || error instanceof RuntimeException || error instanceof Error
                    || matches(rollbackOn, error);
        }

        private static boolean matches(Class<?>[] types, Throwable error) {
            for (Class<?> type : types) {
                if (type.isInstance(error)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Runs {@code work} as {@code type} says on the request's units of work.
     *
     * <p>REQUIRED begins a transaction unless one is active, and then commits it when the work
     * returns, or rolls back when it throws an exception that {@code rule} rolls back on. A joined
     * call marks the outer transaction rollback-only instead. REQUIRES_NEW always runs in a new
     * transaction on a fresh unit of work, committed or rolled back on its own. NOT_SUPPORTED runs
     * without a transaction: on a fresh unit of work when the caller has one. MANDATORY and NEVER
     * throw {@link TransactionalException} when a transaction is absent or present; SUPPORTS runs as is.
     */
    static <T> T execute(UnitsOfWork units, TxType type, RollbackRule rule, Callable<T> work) throws Exception {
        boolean active = units.inTransaction();
        switch (type) {
            case REQUIRES_NEW -> {
                return units.inFreshUnit(() -> inNewTransaction(units, rule, work));
            }
            case NOT_SUPPORTED -> {
                return active ? units.inFreshUnit(work) : work.call();
            }
            case MANDATORY -> {
                if (!active) {
                    throw new TransactionalException("dblayer: @Transactional(MANDATORY) called without an active"
                            + " transaction on the request's EntityManager", new TransactionRequiredException());
                }
            }
            case NEVER -> {
                if (active) {
                    throw new TransactionalException("dblayer: @Transactional(NEVER) called while the request's"
                            + " EntityManager has an active transaction", new InvalidTransactionException());
                }
            }
            case REQUIRED -> {
                if (!active) {
                    return inNewTransaction(units, rule, work);
                }
            }
            default -> {
                // SUPPORTS: run in whatever the caller has.
            }
        }
        return joined(units, active, rule, work);
    }

    /**
     * Begins, runs, commits or rolls back, on every database the work uses ({@link UnitsOfWork#commit});
     * counted in the units' {@link TransactionsInFlight} meanwhile.
     */
    private static <T> T inNewTransaction(UnitsOfWork units, RollbackRule rule, Callable<T> work) throws Exception {
        TransactionsInFlight inFlight = units.transactions();
        inFlight.began();
        try (Tracing.Span span = units.tracing().start(SPAN)) {
            units.begin();
            T result;
            try {
                result = work.call();
            } catch (Throwable error) {
                span.attribute(DATABASES, String.join(",", units.databasesUsed()));
                if (rule.rollsBackOn(error)) {
                    units.rollBack(error);
                    span.attribute(OUTCOME, "rollback");
                } else {
                    end(units, span);
                }
                span.failed(error);
                throw error;
            }
            span.attribute(DATABASES, String.join(",", units.databasesUsed()));
            end(units, span);
            return result;
        } finally {
            inFlight.ended();
        }
    }

    /** Commits, telling the span how it ended: commit, rollback (rollback-only, or a failed commit), partial. */
    private static void end(UnitsOfWork units, Tracing.Span span) {
        try {
            units.commit();
            span.attribute(OUTCOME, "commit");
        } catch (PartialCommitException e) {
            span.attribute(OUTCOME, "partial");
            span.failed(e);
            throw e;
        } catch (RuntimeException e) {
            span.attribute(OUTCOME, "rollback");
            span.failed(e);
            throw e;
        }
    }

    private static <T> T joined(UnitsOfWork units, boolean active, RollbackRule rule, Callable<T> work)
            throws Exception {
        try {
            return work.call();
        } catch (Throwable error) {
            if (active && units.inTransaction() && rule.rollsBackOn(error)) {
                units.setRollbackOnly();
            }
            throw error;
        }
    }
}
