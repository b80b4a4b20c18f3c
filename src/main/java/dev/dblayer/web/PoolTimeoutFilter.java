package dev.dblayer.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers {@code 503 Service Unavailable} with {@code Retry-After: 1} to a servlet request that
 * failed because no database connection was free within {@code database.pool.timeout}, instead of
 * the server's 500. Jakarta REST resources get the same answer from {@link PoolTimeoutMapper}
 * without any configuration; this filter is for applications with servlets of their own, which
 * declare it in {@code WEB-INF/web.xml}:
 * <pre>{@code
 * <filter><filter-name>dblayer-pool-timeout</filter-name>
 *         <filter-class>dev.dblayer.web.PoolTimeoutFilter</filter-class>
 *         <async-supported>true</async-supported></filter>
 * <filter-mapping><filter-name>dblayer-pool-timeout</filter-name><url-pattern>/*</url-pattern></filter-mapping>
 * }</pre>
 *
 * <p>Not annotated {@code @WebFilter}: Open Liberty loads annotated filters from {@code WEB-INF/lib}
 * even when the application has no servlet feature, and then logs an error for every application
 * that uses only Jakarta REST. It acts only on an exception that reaches it unhandled and whose
 * cause chain holds the pool's {@link SQLTransientConnectionException}, and only while the response
 * is not yet committed; every other failure passes through unchanged. Thread-safe.
 */
public class PoolTimeoutFilter implements Filter {

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
