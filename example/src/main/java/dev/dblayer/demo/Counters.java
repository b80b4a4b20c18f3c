package dev.dblayer.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Named counters, one row per increment (see {@link Increment}). */
@ApplicationScoped
public class Counters {

    @Inject
    EntityManager em;

    /** Adds increment {@code id} to {@code counter}; committed when this returns. */
    @Transactional
    public void increment(String counter, String id) {
        em.persist(new Increment(counter, id));
    }

    /** The number of increments of {@code counter}. */
    public long value(String counter) {
        return em.createQuery("SELECT COUNT(i) FROM Increment i WHERE i.counter = :counter", Long.class)
                .setParameter("counter", counter)
                .getSingleResult();
    }
}
