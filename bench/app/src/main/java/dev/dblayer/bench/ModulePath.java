package dev.dblayer.bench;

import dev.dblayer.db.Database;
import dev.dblayer.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.CacheRetrieveMode;
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
        return Item.of(em.createQuery(BenchApi.BY_ID, BenchItem.class)
                .setParameter("id", id)
                .setHint("jakarta.persistence.cache.retrieveMode", CacheRetrieveMode.BYPASS)
                .getResultStream().findFirst().orElse(null));
    }

    /**
     * The same read on an EntityManager of the same persistence unit, opened and closed here: what the
     * request scope (CDI's proxy, bean store and disposer) costs, by difference with {@link #read}.
     */
    public Item readUnscoped(long id) {
        try (EntityManager own = database.entityManagerFactory().createEntityManager()) {
            return Item.of(own.createQuery(BenchApi.BY_ID, BenchItem.class)
                    .setParameter("id", id)
                    .setHint("jakarta.persistence.cache.retrieveMode", CacheRetrieveMode.BYPASS)
                    .getResultStream().findFirst().orElse(null));
        }
    }

    @Transactional
    public Item increment(long id) {
        BenchItem item = em.find(BenchItem.class, id);
        item.setCounter(item.getCounter() + 1);
        return Item.of(item);
    }

    /**
     * The same write in dblayer's programmatic transaction: no {@code @Transactional}, so the
     * server's JTA interceptor does not run around it.
     */
    public Item incrementProgrammatic(long id) {
        return transactions.required(() -> {
            BenchItem item = em.find(BenchItem.class, id);
            item.setCounter(item.getCounter() + 1);
            return Item.of(item);
        });
    }

    /** Holds one pooled connection for {@code seconds}: the overload case's way to exhaust the pool. */
    @Transactional
    public void hold(double seconds) {
        em.createNativeQuery("SELECT pg_sleep(" + seconds + ")").getResultList();
    }
}
