package dev.dblayer.web;

import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.Providers;

/**
 * Answers {@code 503 Service Unavailable} with {@code Retry-After: 1} when a Jakarta REST resource
 * fails because no database connection was free within {@code database.pool.timeout}: the pool's
 * {@link SQLTransientConnectionException}, which EclipseLink wraps in a {@link PersistenceException}.
 *
 * <p>Registered by its annotation. It stays out of the application's way: any other
 * {@code PersistenceException} goes to the mapper the application has for {@code RuntimeException}
 * or a supertype (its catch-all), or else becomes a 500 with no body, logged; and an application
 * mapper for {@code PersistenceException} itself wins over this one, which has a lower priority
 * than the default. Thread-safe.
 */
@Provider
@Priority(Priorities.USER + 1000)
public class PoolTimeoutMapper implements ExceptionMapper<PersistenceException> {

    private static final Logger LOG = Logger.getLogger(PoolTimeoutMapper.class.getName());

    @Context
    private Providers providers;

    @Context
    private Request request;

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(PersistenceException failure) {
        Optional<SQLTransientConnectionException> timeout = PoolTimeouts.find(failure);
        if (timeout.isPresent()) {
            PoolTimeouts.log(describe(), timeout.get());
            return Response.status(PoolTimeouts.STATUS).header("Retry-After", PoolTimeouts.RETRY_AFTER_SECONDS)
                    .type(PoolTimeouts.MEDIA_TYPE).entity(PoolTimeouts.PROBLEM).build();
        }
        ExceptionMapper<RuntimeException> next = providers == null ? null
                : providers.getExceptionMapper(RuntimeException.class);
        if (next != null) {
            return next.toResponse(failure);
        }
        LOG.log(Level.SEVERE, "dblayer: " + describe() + " failed", failure);
        return Response.serverError().build();
    }

    private String describe() {
        if (request == null || uri == null) {
            return "a Jakarta REST request";
        }
        return request.getMethod() + " " + uri.getRequestUri().getPath();
    }
}
