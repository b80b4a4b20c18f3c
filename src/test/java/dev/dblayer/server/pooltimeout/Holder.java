package dev.dblayer.server.pooltimeout;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Holds the pool's only connection, and reads through the request's EntityManager. */
@ApplicationScoped
public class Holder {

    @Inject
    EntityManager em;

    /** Keeps a connection for {@code seconds} inside a transaction. */
    @Transactional
    public void hold(double seconds) {
        em.createNativeQuery("SELECT pg_sleep(" + seconds + ")").getResultList();
    }

    /** Items in the table: a read that needs a connection. */
    public long count() {
        return em.createQuery("SELECT COUNT(i) FROM Item i", Long.class).getSingleResult();
    }

    /** A query the database rejects: a {@code PersistenceException} that has nothing to do with the pool. */
    public String broken() {
        return String.valueOf(em.createNativeQuery("SELECT no_such_function()").getSingleResult());
    }
}
