package dev.dblayer.peers.helidon;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.RequestScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * dblayer's bench endpoints on Helidon MP: {@code GET /api/read} (one row by id, a query each time: no
 * shared cache), {@code POST /api/write} (find, increment, commit) and {@code GET /api/hold} (one
 * connection held, to exhaust the pool). Readiness is MicroProfile Health's, at {@code /health/ready},
 * with {@link ReadinessChecks}' checks.
 */
@Path("/api")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class BenchResource {

    static final int ROWS = 1000;

    @PersistenceContext(unitName = "bench")
    EntityManager em;

    @GET
    @Path("read")
    public Item read() {
        return em.createQuery("SELECT i FROM BenchItem i WHERE i.id = :id", BenchItem.class)
                .setParameter("id", randomId())
                .getResultStream().findFirst().map(Item::of).orElse(null);
    }

    @POST
    @Path("write")
    @Transactional
    public Item write() {
        BenchItem item = em.find(BenchItem.class, randomId());
        item.setCounter(item.getCounter() + 1);
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
