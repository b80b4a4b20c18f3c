package dev.dblayer.server.metrics;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.dblayer.db.Database;
import dev.dblayer.redis.Redis;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /metrics-fixture/hold?n=N} takes N pooled connections and keeps them across requests,
 * {@code /release} gives them back, {@code /take} asks for one more (answers {@code timeout} when
 * the pool has none within its timeout), {@code /redis} PINGs through dblayer's Redis client.
 */
@WebServlet("/metrics-fixture/*")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final List<Connection> HELD = new CopyOnWriteArrayList<>();

    @Inject
    transient Database database;

    @Inject
    transient Redis redis;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String answer;
        try {
            answer = switch (request.getPathInfo()) {
                case "/hold" -> {
                    for (int i = 0; i < Integer.parseInt(request.getParameter("n")); i++) {
                        HELD.add(database.dataSource().getConnection());
                    }
                    yield "held " + HELD.size();
                }
                case "/release" -> {
                    for (Connection connection : HELD) {
                        connection.close();
                    }
                    HELD.clear();
                    yield "released";
                }
                case "/take" -> {
                    try (Connection connection = database.dataSource().getConnection()) {
                        yield "got";
                    } catch (SQLException e) {
                        yield "timeout";
                    }
                }
                case "/redis" -> {
                    try {
                        yield redis.client().ping();
                    } catch (RuntimeException e) {
                        yield "failed: " + e.getClass().getSimpleName();
                    }
                }
                default -> throw new IllegalArgumentException(request.getPathInfo());
            };
        } catch (SQLException e) {
            throw new IOException(e);
        }
        response.setContentType("text/plain");
        response.getWriter().print(answer);
    }
}
