package dev.dblayer.server.pooltimeout;

import java.io.IOException;

import dev.dblayer.db.Database;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /servlet/hold?seconds=S} holds the pool's connection, {@code /servlet/count} reads,
 * {@code /servlet/active} tells the pool's active connections, {@code /servlet/fail} throws an
 * exception that has nothing to do with the pool.
 */
@WebServlet("/servlet/*")
public class PoolServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Holder holder;

    @Inject
    transient Database database;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String answer = switch (request.getPathInfo()) {
            case "/hold" -> {
                holder.hold(Double.parseDouble(request.getParameter("seconds")));
                yield "held";
            }
            case "/count" -> Long.toString(holder.count());
            case "/active" -> Integer.toString(database.poolStatistics().orElseThrow().active());
            case "/fail" -> throw new IllegalStateException("a failure unrelated to the pool");
            default -> throw new IllegalArgumentException(request.getPathInfo());
        };
        response.setContentType("text/plain");
        response.getWriter().print(answer);
    }
}
