package dev.dblayer.bench;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.CacheRetrieveMode;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The container baseline: a JTA EntityManager on Liberty's own dataSource. Transactions are begun
 * with UserTransaction, not @Transactional, because dblayer's interceptor binds to @Transactional
 * too and would add its own (resource-local) transaction to the baseline.
 */
@ApplicationScoped
public class JtaPath {

    @PersistenceContext(unitName = "jta")
    EntityManager em;

    @Resource
    UserTransaction transaction;

    public Item read(long id) {
        return Item.of(em.createQuery(BenchApi.BY_ID, BenchItem.class)
                .setParameter("id", id)
                .setHint("jakarta.persistence.cache.retrieveMode", CacheRetrieveMode.BYPASS)
                .getResultStream().findFirst().orElse(null));
    }

    public Item increment(long id) throws Exception {
        transaction.begin();
        try {
            BenchItem item = em.find(BenchItem.class, id);
            item.setCounter(item.getCounter() + 1);
            Item result = Item.of(item);
            transaction.commit();
            return result;
        } catch (Exception | Error e) {
            if (transaction.getStatus() != jakarta.transaction.Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
            throw e;
        }
    }
}
