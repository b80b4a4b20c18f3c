package dev.dblayer.server.pooltimeout;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** An application's catch-all mapper, as many applications have: 418 and the exception's class. */
@Provider
public class CatchAllMapper implements ExceptionMapper<Exception> {

    @Override
    public Response toResponse(Exception failure) {
        return Response.status(418).entity("catch-all: " + failure.getClass().getName()).build();
    }
}
