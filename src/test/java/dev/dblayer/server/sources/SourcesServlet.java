package dev.dblayer.server.sources;

import java.io.IOException;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseSettings;
import dev.dblayer.db.Source;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Real HTTP requests on the main database, the named source {@code reports} and the replica:
 * {@code /sources/main?name=N}, {@code /sources/reports?name=N} and {@code /sources/both?name=N}
 * write N in a transaction; {@code /sources/both-fail?name=N} writes N to both and fails, answering
 * the exception's message; {@code /sources/replica-count?name=N} answers the rows named N the
 * replica's EntityManager sees; {@code /sources/replica-persist?name=N} answers what its persist
 * threw; {@code /sources/settings} answers the database, target and pool size of
 * {@code @Source("reports") Database}, then of the unqualified {@code Database}, then its sources.
 */
@WebServlet("/sources/*")
public class SourcesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient TwoDatabases databases;

    @Inject
    transient Database main;

    @Inject
    @Source("reports")
    transient Database reports;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        String answer = switch (request.getPathInfo()) {
            case "/main" -> {
                databases.createInMain(name);
                yield "created";
            }
            case "/reports" -> {
                databases.createInReports(name);
                yield "created";
            }
            case "/both" -> {
                databases.createInBoth(name);
                yield "created";
            }
            case "/both-fail" -> {
                try {
                    databases.createInBothThenFail(name);
                    yield "no failure";
                } catch (IllegalStateException expected) {
                    yield expected.getMessage();
                }
            }
            case "/replica-count" -> Long.toString(databases.countOnReplica(name));
            case "/replica-persist" -> databases.persistOnReplica(name);
            case "/settings" -> describe(reports.settings()) + "\n" + describe(main.settings()) + "\n"
                    + main.sourceNames();
            default -> throw new IllegalArgumentException(request.getPathInfo());
        };
        response.setContentType("text/plain");
        response.getWriter().print(answer);
    }

    private static String describe(DatabaseSettings settings) {
        return settings.database() + " " + settings.describe() + " " + settings.pool().size();
    }
}
