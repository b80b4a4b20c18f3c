package dev.dblayer.db;

import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.FlushModeType;

/**
 * Produces the request's {@link EntityManager}: one per HTTP request (or
 * {@code @ActivateRequestContext} method), closed when the request ends. The original module's
 * {@code CurrentSession}.
 */
@ApplicationScoped
class EntityManagerProducer {

    private static final Logger LOG = Logger.getLogger(EntityManagerProducer.class.getName());

    private final Database database;

    @Inject
    EntityManagerProducer(Database database) {
        this.database = database;
    }

    /** For CDI's proxy. */
    EntityManagerProducer() {
        this.database = null;
    }

    @Produces
    @RequestScoped
    EntityManager open() {
        EntityManager entityManager = database.entityManagerFactory().createEntityManager();
        entityManager.setFlushMode(FlushModeType.COMMIT);
        return entityManager;
    }

    void close(@Disposes EntityManager entityManager) {
        if (!entityManager.isOpen()) {
            return;
        }
        try {
            EntityTransaction transaction = entityManager.getTransaction();
            if (transaction.isActive()) {
                // Work that nobody committed is not kept: roll back, never commit.
                LOG.warning("dblayer: a transaction was still open at the end of the request; rolled back."
                        + " Commit it, or use @Transactional");
                transaction.rollback();
            }
        } finally {
            entityManager.close();
        }
    }
}
