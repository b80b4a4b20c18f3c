package dev.dblayer.bench;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.persistence.CacheRetrieveMode;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/**
 * The request cases under {@code /api}: {@code GET read/{path}} and {@code POST write/{path}} with
 * path {@code module}, {@code jdbc} or {@code jta}, plus {@code unscoped} for reads and
 * {@code programmatic} for writes (see {@link ModulePath}); each request picks a random row of
 * {@value #ROWS}, so that concurrent writes rarely wait on one row's lock.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class BenchApi {

    static final int ROWS = 1000;
    static final String BY_ID = "SELECT i FROM BenchItem i WHERE i.id = :id";

    /** Activates JAX-RS under /api. */
    @ApplicationPath("/api")
    public static class BenchApplication extends Application {
    }

    @Inject
    ModulePath module;

    @Inject
    JdbcPath jdbc;

    @Inject
    JtaPath jta;

    @GET
    @Path("read/{path}")
    public Item read(@PathParam("path") String path) {
        long id = randomId();
        return switch (path) {
            case "module" -> module.read(id);
            case "unscoped" -> module.readUnscoped(id);
            case "jdbc" -> jdbc.read(id);
            case "jta" -> jta.read(id);
            default -> throw new jakarta.ws.rs.NotFoundException(path);
        };
    }

    @POST
    @Path("write/{path}")
    public Item write(@PathParam("path") String path) throws Exception {
        long id = randomId();
        return switch (path) {
            case "module" -> module.increment(id);
            case "programmatic" -> module.incrementProgrammatic(id);
            case "jdbc" -> jdbc.increment(id);
            case "jta" -> jta.increment(id);
            default -> throw new jakarta.ws.rs.NotFoundException(path);
        };
    }

    /** Holds a dblayer connection for {@code seconds}: run.sh exhausts the pool with it. */
    @GET
    @Path("hold")
    public Map<String, Object> hold(@QueryParam("seconds") double seconds) {
        module.hold(seconds);
        return Map.of("held", seconds);
    }

    /** The read every path measures: the row by id, past EclipseLink's shared cache. */
    static Item readById(EntityManager em, long id) {
        return Item.of(em.createQuery(BY_ID, BenchItem.class)
                .setParameter("id", id)
                .setHint("jakarta.persistence.cache.retrieveMode", CacheRetrieveMode.BYPASS)
                .getResultStream().findFirst().orElse(null));
    }

    /** The write every path measures, inside the caller's transaction: find, increment, return. */
    static Item incrementById(EntityManager em, long id) {
        BenchItem item = em.find(BenchItem.class, id);
        item.setCounter(item.getCounter() + 1);
        return Item.of(item);
    }

    private static long randomId() {
        return ThreadLocalRandom.current().nextLong(1, ROWS + 1);
    }
}
