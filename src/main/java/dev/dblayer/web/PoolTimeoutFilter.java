package dev.dblayer.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers {@code 503 Service Unavailable} with {@code Retry-After: 1} to a servlet request that
 * failed because no database connection was free within {@code database.pool.timeout}, instead of
 * the server's 500. Jakarta REST resources get the same answer from {@link PoolTimeoutMapper}.
 *
 * <p>Registered by its annotation on every URL of an application that carries dblayer in
 * {@code WEB-INF/lib}. It acts only on an exception that reaches it unhandled and whose cause chain
 * holds the pool's {@link SQLTransientConnectionException}, and only while the response is not yet
 * committed; every other failure passes through unchanged. Thread-safe.
 */
@WebFilter(filterName = "dblayer-pool-timeout", urlPatterns = "/*", asyncSupported = true,
        dispatcherTypes = DispatcherType.REQUEST)
public class PoolTimeoutFilter implements Filter {

    // Filter itself, not HttpFilter: on an Open Liberty server without the servlet feature in its own
    // featureManager (mpHealth brings it), a @WebFilter that extends HttpFilter is refused (SRVE9991E).
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException failure) {
            Optional<SQLTransientConnectionException> timeout = PoolTimeouts.find(failure);
            if (timeout.isEmpty() || response.isCommitted() || !(response instanceof HttpServletResponse http)) {
                throw failure;
            }
            PoolTimeouts.log(describe(request), timeout.get());
            respond(http);
        }
    }

    private static String describe(ServletRequest request) {
        return request instanceof HttpServletRequest http ? http.getMethod() + " " + http.getRequestURI() : "a request";
    }

    private static void respond(HttpServletResponse response) throws IOException {
        response.reset();
        response.setStatus(PoolTimeouts.STATUS);
        response.setHeader("Retry-After", PoolTimeouts.RETRY_AFTER_SECONDS);
        response.setContentType(PoolTimeouts.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(PoolTimeouts.PROBLEM);
    }
}
