package dev.dblayer.peers.quarkus;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * dblayer's bench endpoints on Quarkus: {@code GET /api/read} (one row by id, a query each time: no
 * second-level cache), {@code POST /api/write} (find, increment, commit) and {@code GET /api/hold}
 * (one connection held, to exhaust the pool). Readiness is Quarkus's own, at {@code /q/health/ready}.
 */
@Path("/api")
public class BenchResource {

    static final int ROWS = 1000;

    @Inject
    EntityManager em;

    @GET
    @Path("read")
    public Item read() {
        return Item.of(em.createQuery("SELECT i FROM BenchItem i WHERE i.id = :id", BenchItem.class)
                .setParameter("id", randomId())
                .getResultStream().findFirst().orElse(null));
    }

    @POST
    @Path("write")
    @Transactional
    public Item write() {
        BenchItem item = em.find(BenchItem.class, randomId());
        item.counter++;
        return Item.of(item);
    }

    @GET
    @Path("hold")
    @Transactional
    public Map<String, Object> hold(@QueryParam("seconds") double seconds) {
        em.createNativeQuery("SELECT pg_sleep(" + seconds + ")").getResultList();
        return Map.of("held", seconds);
    }

    private static long randomId() {
        return ThreadLocalRandom.current().nextLong(1, ROWS + 1);
    }
}
