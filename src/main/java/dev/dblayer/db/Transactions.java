package dev.dblayer.db;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional.TxType;

/**
 * The programmatic form of {@code @Transactional}, for code that is not intercepted (lambdas,
 * private methods, objects not managed by CDI):
 * <pre>{@code
 * @Inject Transactions transactions;
 * Order order = transactions.required(() -> { em.persist(o); return o; });
 * }</pre>
 * Works on the request's {@link EntityManager}; a call inside an active transaction joins it.
 * Unlike the annotation, every exception (checked or not) rolls back. Thread-safe.
 */
@ApplicationScoped
public class Transactions {

    private final UnitsOfWork units;

    @Inject
    Transactions(UnitsOfWork units) {
        this.units = units;
    }

    /** For CDI's proxy. */
    protected Transactions() {
        this.units = null;
    }

    /**
     * Runs {@code work} in the request's transaction, beginning and committing one if none is
     * active (REQUIRED). A checked exception from {@code work} is rethrown as is.
     */
    public <T> T call(Callable<T> work) throws Exception {
        return call(TxType.REQUIRED, work);
    }

    /**
     * Like {@link #call(Callable)} with the given type; {@code REQUIRES_NEW} and {@code NOT_SUPPORTED}
     * run {@code work} on a unit of work of its own, which the request's {@link EntityManager} reaches
     * until the work returns.
     */
    public <T> T call(TxType type, Callable<T> work) throws Exception {
        return TransactionDemarcation.execute(units, type, TransactionDemarcation.RollbackRule.ANY_EXCEPTION, work);
    }

    /** Runs {@code work} as {@link #call(Callable)} does, for work that throws no checked exception. */
    public <T> T required(Supplier<T> work) {
        try {
            return call(work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // unreachable: a Supplier throws no checked exception
        }
    }

    /** Runs {@code work} in the request's transaction, as {@link #required(Supplier)}. */
    public void run(Runnable work) {
        required(() -> {
            work.run();
            return null;
        });
    }
}
