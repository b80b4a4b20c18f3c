package dev.dblayer.server.redismodes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.dblayer.redis.RedisKeys;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis client and helpers in real requests, in whichever mode the WAR is configured:
 * {@code /modes/client} answers the class of the injected {@code UnifiedJedis};
 * {@code /modes/own?mode=sentinel|cluster} PINGs through the mode's own type, looked up lazily
 * (an {@code Instance}, so that the other mode's type is no injection point);
 * {@code /modes/fill?prefix=P&count=N} writes P:0..P:N-1 and P0:lookalike (which must survive) and
 * answers {@code mgetBatched} of P:0..P:N-1 in batches of 7;
 * {@code /modes/delete?prefix=P} answers what {@code deleteByPrefix(P)} deleted, the keys left under
 * P and whether the look-alike is still there.
 */
@WebServlet("/modes/*")
public class ModesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient UnifiedJedis redis;

    @Inject
    transient RedisKeys keys;

    @Inject
    transient Instance<RedisSentinelClient> sentinelClient;

    @Inject
    transient Instance<RedisClusterClient> clusterClient;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String prefix = request.getParameter("prefix");
        String answer = switch (request.getPathInfo()) {
            case "/client" -> redis.getClass().getSimpleName();
            case "/own" -> "sentinel".equals(request.getParameter("mode"))
                    ? sentinelClient.get().ping() : clusterClient.get().ping();
            case "/fill" -> {
                int count = Integer.parseInt(request.getParameter("count"));
                List<String> written = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    redis.set(prefix + ":" + i, "v" + i);
                    written.add(prefix + ":" + i);
                }
                redis.set(prefix + "0:lookalike", "keep");
                yield String.join(",", keys.mgetBatched(written, 7));
            }
            case "/delete" -> keys.deleteByPrefix(prefix) + " " + keys.getByPrefix(prefix).size() + " "
                    + redis.exists(prefix + "0:lookalike");
            default -> throw new IllegalArgumentException(request.getPathInfo());
        };
        response.setContentType("text/plain");
        response.getWriter().print(answer);
    }
}
