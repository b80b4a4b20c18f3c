package dev.dblayer.db;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

/**
 * Produces the request's {@link EntityManager}: one unit of work per HTTP request (or
 * {@code @ActivateRequestContext} method), closed when the request ends; the original module's
 * {@code CurrentSession}. Inside a {@code REQUIRES_NEW} or {@code NOT_SUPPORTED} method the same
 * injected EntityManager reaches that method's own unit of work ({@link UnitsOfWork}). The
 * {@code @Default} EntityManager itself comes from {@link RequestEntityManagerProducer}.
 */
@ApplicationScoped
class EntityManagerProducer {

    private final Database database;
    /** The request's units of work, through CDI's proxy: each call reaches the current request's. */
    private final Instance<UnitsOfWork> requestUnits;

    @Inject
    EntityManagerProducer(Database database, Instance<UnitsOfWork> requestUnits) {
        this.database = database;
        this.requestUnits = requestUnits;
    }

    /** Outside a container: {@link #unitsOfWork()} only. */
    EntityManagerProducer(Database database) {
        this(database, null);
    }

    /** For CDI's proxy. */
    EntityManagerProducer() {
        this.database = null;
        this.requestUnits = null;
    }

    @Produces
    @RequestScoped
    UnitsOfWork unitsOfWork() {
        return new UnitsOfWork(this::open, this::openReplica, database.transactionsInFlight(), database::tracing);
    }

    /** The request's EntityManager of the source the injection point's {@link Source} names. */
    @Produces
    @Source("")
    EntityManager sourceEntityManager(InjectionPoint point) {
        String source = sourceOf(point);
        UnitsOfWork units = requestUnits.get();
        return UnitsOfWork.forwarding(() -> units.current(source), "dblayer's request EntityManager of " + source);
    }

    /** The source the injection point's {@link Source} names. */
    @Produces
    @Source("")
    Database sourceDatabase(InjectionPoint point) {
        return database.source(sourceOf(point));
    }

    /** The request's read-only EntityManager of the replica (of the main database without one). */
    @Produces
    @Replica
    EntityManager replicaEntityManager() {
        UnitsOfWork units = requestUnits.get();
        return UnitsOfWork.forwarding(units::replica, "dblayer's request EntityManager of the replica");
    }

    void close(@Disposes UnitsOfWork units) {
        units.closeAll();
    }

    private static String sourceOf(InjectionPoint point) {
        return point.getQualifiers().stream()
                .filter(Source.class::isInstance)
                .map(qualifier -> ((Source) qualifier).value())
                .findFirst()
                .orElseThrow();
    }

    private EntityManager open() {
        return open(UnitsOfWork.MAIN);
    }

    private EntityManager open(String source) {
        Database chosen = source.isEmpty() ? database : database.source(source);
        EntityManager entityManager = chosen.entityManagerFactory().createEntityManager();
        entityManager.setFlushMode(FlushModeType.COMMIT);
        return entityManager;
    }

    private EntityManager openReplica() {
        return database.replica().orElse(database).entityManagerFactory().createEntityManager();
    }
}
