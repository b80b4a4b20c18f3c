package dev.dblayer.db;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.EntityManager;

/**
 * Produces {@code @Inject EntityManager}: a view of the request's current unit of work
 * ({@link UnitsOfWork#view()}).
 *
 * <p>A Jakarta EE 11 server may offer a {@code @Default} EntityManager of its own for each persistence
 * unit in the application (Persistence 3.2), dblayer's unit included: Payara 7 does. This bean is
 * therefore an alternative, selected for the whole application by its priority, so that it wins over
 * the server's bean instead of making every {@code @Inject EntityManager} ambiguous; an application's
 * own alternative, of a priority in the application range, still wins over it. The priority is on the
 * class, not on the producer method, because CDI 4.0 (Jakarta EE 10) honours it only there.
 */
@ApplicationScoped
@Alternative
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
class RequestEntityManagerProducer {

    @Produces
    @RequestScoped
    EntityManager entityManager(UnitsOfWork units) {
        return units.view();
    }
}
