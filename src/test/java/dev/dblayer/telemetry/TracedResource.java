package dev.dblayer.telemetry;

import dev.dblayer.redis.RedisKeys;
import dev.dblayer.server.fixtures.Items;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code GET /api/traced?name=N}: one {@code @Transactional} write and one {@code deleteByPrefix}
 * of three keys, in one request, so that the request's span has dblayer's spans as children.
 */
@Path("/traced")
@RequestScoped
public class TracedResource {

    @ApplicationPath("/api")
    public static class Api extends Application {
    }

    @Inject
    Items items;

    @Inject
    RedisKeys keys;

    @Inject
    UnifiedJedis redis;

    @GET
    public String traced(@QueryParam("name") String name) {
        items.create(name);
        for (int i = 0; i < 3; i++) {
            redis.set("traced:" + name + ":" + i, "x");
        }
        return "deleted " + keys.deleteByPrefix("traced:" + name);
    }
}
