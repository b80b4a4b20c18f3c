package dev.dblayer.server.adopted;

import java.io.IOException;

import dev.dblayer.server.fixtures.Items;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What a moved application does: {@code /adopted?name=N} writes an item named N in a
 * {@code @Transactional} method and answers how many items named N a query then finds.
 */
@WebServlet("/adopted")
public class AdoptedServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Items items;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        items.create(name);
        response.setContentType("text/plain");
        response.getWriter().print(items.count(name));
    }
}
