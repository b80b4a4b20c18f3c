package dev.dblayer.server.redismodes;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import redis.clients.jedis.RedisClient;

/**
 * Injects the standalone client's own type: deployed with {@code redis.cluster.nodes} set, the
 * deployment must fail with the message that says to inject {@code UnifiedJedis}.
 */
@WebServlet("/wrong-type")
public class WrongTypeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient RedisClient redis;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.getWriter().print(redis.ping());
    }
}
