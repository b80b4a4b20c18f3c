package dev.dblayer.server.saturated;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Drives {@link Load}: {@code /load/sleep?connections=N&seconds=S}, {@code /load/reads?threads=N},
 * {@code /load/counts}, {@code /load/stop}; each answers at once (stop after its threads end).
 */
@WebServlet("/load/*")
public class LoadServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Load load;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String answer = switch (request.getPathInfo()) {
            case "/sleep" -> {
                load.sleep(Integer.parseInt(request.getParameter("connections")),
                        Double.parseDouble(request.getParameter("seconds")));
                yield "started";
            }
            case "/reads" -> {
                load.reads(Integer.parseInt(request.getParameter("threads")));
                yield "started";
            }
            case "/counts" -> load.counts();
            case "/stop" -> load.stop();
            default -> throw new IllegalArgumentException(request.getPathInfo());
        };
        response.setContentType("text/plain");
        response.getWriter().print(answer);
    }
}
