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

    /** The longest a request may hold its transaction open after the write. */
    public static final int MAX_HOLD_MILLIS = 10_000;

    /**
     * Adds increment {@code id} to {@code counter}; committed when this returns. With
     * {@code holdMillis > 0} the row is written first and the transaction then held open (with its
     * connection) that long: a request still in flight when the server is told to stop.
     */
    @Transactional
    public void increment(String counter, String id, int holdMillis) {
        em.persist(new Increment(counter, id));
        if (holdMillis > 0) {
            em.flush();
            try {
                Thread.sleep(holdMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while holding the transaction", e);
            }
        }
    }

    /** The number of increments of {@code counter}. */
    public long value(String counter) {
        return em.createQuery("SELECT COUNT(i) FROM Increment i WHERE i.counter = :counter", Long.class)
                .setParameter("counter", counter)
                .getSingleResult();
    }
}
