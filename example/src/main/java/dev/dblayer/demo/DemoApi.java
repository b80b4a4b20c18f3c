package dev.dblayer.demo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.RollbackException;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The demo's REST API under {@code /api}. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DemoApi {

    /** Activates JAX-RS under /api. */
    @ApplicationPath("/api")
    public static class DemoApplication extends Application {
    }

    @Inject
    Notes notes;

    @Inject
    Sessions sessions;

    public record NewUser(String username) {
    }

    public record NewNotes(List<String> texts) {
    }

    @POST
    @Path("users")
    public Response createUser(NewUser body) {
        User user = notes.createUser(body.username());
        return Response.status(Response.Status.CREATED).entity(Map.of("id", user.getId(), "username", user.getUsername()))
                .build();
    }

    @GET
    @Path("users/{id}")
    public Map<String, Object> user(@PathParam("id") long id) {
        User user = notes.user(id);
        if (user == null) {
            throw new NotFoundException("no user " + id);
        }
        return Map.of("id", user.getId(), "username", user.getUsername());
    }

    @POST
    @Path("users/{id}/notes")
    public Response addNotes(@PathParam("id") long id, NewNotes body) {
        List<Note> added = notes.addNotes(id, body.texts());
        return Response.status(Response.Status.CREATED).entity(added.stream().map(DemoApi::json).toList()).build();
    }

    @GET
    @Path("users/{id}/notes")
    public List<Map<String, Object>> notesOf(@PathParam("id") long id) {
        return notes.notesOf(id).stream().map(DemoApi::json).toList();
    }

    @POST
    @Path("login")
    public Sessions.Login login(NewUser body) {
        User user = notes.userNamed(body.username());
        if (user == null) {
            throw new NotFoundException("no user " + body.username());
        }
        return sessions.login(user.getId());
    }

    @GET
    @Path("users/{id}/sessions/{session}")
    public Map<String, Object> checkSession(@PathParam("id") long id, @PathParam("session") String session,
            @HeaderParam("X-Token") String token) {
        return Map.of("valid", sessions.valid(id, session, token));
    }

    @POST
    @Path("users/{id}/logout-everywhere")
    public Map<String, Object> logoutEverywhere(@PathParam("id") long id) {
        return Map.of("sessionsEnded", sessions.logoutEverywhere(id));
    }

    private static Map<String, Object> json(Note note) {
        return Map.of("id", note.getId(), "owner", note.getOwnerId(), "text", note.getText());
    }

    /** Bad input: 400 with the reason. */
    @Provider
    public static class BadInput implements ExceptionMapper<IllegalArgumentException> {
        @Override
        public Response toResponse(IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", e.getMessage())).build();
        }
    }

    /**
     * A commit the database refused (a duplicate name): 409, after the rollback. Mapping only
     * RollbackException leaves a pool timeout to dblayer's PoolTimeoutMapper (503).
     */
    @Provider
    public static class Conflict implements ExceptionMapper<RollbackException> {
        @Override
        public Response toResponse(RollbackException e) {
            return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "the database refused the write; nothing was saved")).build();
        }
    }
}
