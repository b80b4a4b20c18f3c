package dev.dblayer.db;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.EntityManager;

/**
 * Produces {@code @Inject EntityManager}: one EntityManager for the application that forwards each
 * call to the current request's unit of work ({@link UnitsOfWork#current()}), reached through CDI's
 * proxy of the {@code @RequestScoped} {@link UnitsOfWork}. So a request pays for one request-scoped
 * bean, not two, and no EntityManager bean is created and destroyed per request (docs/performance.md,
 * "Against other stacks").
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
    @ApplicationScoped
    EntityManager entityManager(UnitsOfWork requestUnits) {
        return UnitsOfWork.forwarding(requestUnits::current, UnitsOfWork.VIEW);
    }
}
