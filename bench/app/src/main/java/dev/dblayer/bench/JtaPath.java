package dev.dblayer.bench;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
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
        return BenchApi.readById(em, id);
    }

    public Item increment(long id) throws Exception {
        transaction.begin();
        try {
            Item result = BenchApi.incrementById(em, id);
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
