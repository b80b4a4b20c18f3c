package dev.dblayer.bench;

import dev.dblayer.db.Database;
import dev.dblayer.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The case under test: dblayer's request EntityManager and its @Transactional. */
@ApplicationScoped
public class ModulePath {

    @Inject
    EntityManager em;

    @Inject
    Transactions transactions;

    @Inject
    Database database;

    public Item read(long id) {
        return BenchApi.readById(em, id);
    }

    /**
     * The same read on an EntityManager of the same persistence unit, opened and closed here: what the
     * request scope (CDI's proxy, bean store and disposer) costs, by difference with {@link #read}.
     */
    public Item readUnscoped(long id) {
        try (EntityManager own = database.entityManagerFactory().createEntityManager()) {
            return BenchApi.readById(own, id);
        }
    }

    @Transactional
    public Item increment(long id) {
        return BenchApi.incrementById(em, id);
    }

    /**
     * The same write in dblayer's programmatic transaction: no {@code @Transactional}, so the
     * server's JTA interceptor does not run around it.
     */
    public Item incrementProgrammatic(long id) {
        return transactions.required(() -> BenchApi.incrementById(em, id));
    }

    /** Holds one pooled connection for {@code seconds}: the overload case's way to exhaust the pool. */
    @Transactional
    public void hold(double seconds) {
        em.createNativeQuery("SELECT pg_sleep(" + seconds + ")").getResultList();
    }
}
