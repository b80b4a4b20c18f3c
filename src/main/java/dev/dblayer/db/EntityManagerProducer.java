package dev.dblayer.db;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

/**
 * Produces the request's {@link EntityManager}: one unit of work per HTTP request (or
 * {@code @ActivateRequestContext} method), closed when the request ends; the original module's
 * {@code CurrentSession}. Inside a {@code REQUIRES_NEW} or {@code NOT_SUPPORTED} method the same
 * injected EntityManager reaches that method's own unit of work ({@link UnitsOfWork}).
 */
@ApplicationScoped
class EntityManagerProducer {

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
    UnitsOfWork unitsOfWork() {
        return new UnitsOfWork(this::open, database.transactionsInFlight());
    }

    @Produces
    @RequestScoped
    EntityManager entityManager(UnitsOfWork units) {
        return units.view();
    }

    void close(@Disposes UnitsOfWork units) {
        units.closeAll();
    }

    private EntityManager open() {
        EntityManager entityManager = database.entityManagerFactory().createEntityManager();
        entityManager.setFlushMode(FlushModeType.COMMIT);
        return entityManager;
    }
}
