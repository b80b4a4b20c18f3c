package dev.dblayer.server.sources;

import dev.dblayer.db.Replica;
import dev.dblayer.db.Source;
import dev.dblayer.server.fixtures.Item;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The request's EntityManagers of the main database, of the named source {@code reports} and of the
 * replica, and the transactions that write to one or both.
 */
@ApplicationScoped
public class TwoDatabases {

    @Inject
    EntityManager main;

    @Inject
    @Source("reports")
    EntityManager reports;

    @Inject
    @Replica
    EntityManager replica;

    @Transactional
    public void createInMain(String name) {
        main.persist(new Item(name));
    }

    @Transactional
    public void createInReports(String name) {
        reports.persist(new Item(name));
    }

    /** One transaction that writes {@code name} to both databases. */
    @Transactional
    public void createInBoth(String name) {
        main.persist(new Item(name));
        reports.persist(new Item(name));
    }

    /** Writes {@code name} to both databases, flushed so that both inserts ran, then fails. */
    @Transactional
    public void createInBothThenFail(String name) {
        main.persist(new Item(name));
        reports.persist(new Item(name));
        main.flush();
        reports.flush();
        throw new IllegalStateException("failure after writing to both databases");
    }

    /** Rows named {@code name}, counted through the replica's EntityManager. */
    public long countOnReplica(String name) {
        return replica.createQuery("SELECT COUNT(i) FROM Item i WHERE i.name = :name", Long.class)
                .setParameter("name", name).getSingleResult();
    }

    /** Persists {@code name} through the replica's EntityManager: answers the refusal's message. */
    public String persistOnReplica(String name) {
        try {
            replica.persist(new Item(name));
            return "persisted";
        } catch (IllegalStateException refused) {
            return refused.getMessage();
        }
    }
}
