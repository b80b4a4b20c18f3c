package dev.dblayer.server.pooltimeout;

import jakarta.inject.Inject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/count}: the same read as a Jakarta REST resource; {@code GET /api/broken}: a
 * {@code PersistenceException} that is not a pool timeout. The application maps exceptions with
 * {@link CatchAllMapper}.
 */
@Path("")
public class CountResource {

    /** Activates Jakarta REST under /api. */
    @ApplicationPath("/api")
    public static class Api extends Application {
    }

    @Inject
    Holder holder;

    @GET
    @Path("count")
    @Produces(MediaType.TEXT_PLAIN)
    public String count() {
        return Long.toString(holder.count());
    }

    @GET
    @Path("broken")
    @Produces(MediaType.TEXT_PLAIN)
    public String broken() {
        return holder.broken();
    }
}
