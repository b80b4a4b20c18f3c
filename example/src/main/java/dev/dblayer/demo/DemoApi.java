package dev.dblayer.demo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

/**
 * The demo's REST API under {@code /api}.
 *
 * <p>Bad input answers 400 with an {@code application/problem+json} body that says what is wrong
 * (see {@link Problems}): a body that is not JSON or not of the expected shape, a missing body, a
 * blank or too long username ({@link NewUser}), an empty list of notes or a blank or too long note
 * ({@link NewNotes}). The constraints are Bean Validation annotations on the request records, checked
 * by Jakarta REST before the method runs ({@code @Valid}). An id that is not a number or names no
 * user answers 404 under {@code users/{id}}, except the session check, which answers
 * {@code "valid":false}. {@code counters/{name}} counts increments, each with an id of the client's
 * (the rolling-restart test's write load). A duplicate username answers 409; any other database failure stays a 5xx.
 */
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

    @Inject
    Counters counters;

    /** The body of a new user and of a login. */
    public record NewUser(@NotBlank @Size(max = User.USERNAME_LENGTH) String username) {
    }

    /** The body that adds notes: at least one, none blank. */
    public record NewNotes(@NotEmpty List<@NotBlank @Size(max = Note.TEXT_LENGTH) String> texts) {
    }

    @POST
    @Path("users")
    public Response createUser(@NotNull @Valid NewUser body) {
        User user = notes.createUser(body.username());
        return Response.status(Response.Status.CREATED).entity(json(user)).build();
    }

    @GET
    @Path("users/{id}")
    public Map<String, Object> user(@PathParam("id") long id) {
        return json(existing(id));
    }

    @POST
    @Path("users/{id}/notes")
    public Response addNotes(@PathParam("id") long id, @NotNull @Valid NewNotes body) {
        List<Note> added = notes.addNotes(existing(id), body.texts());
        return Response.status(Response.Status.CREATED).entity(added.stream().map(DemoApi::json).toList()).build();
    }

    @GET
    @Path("users/{id}/notes")
    public List<Map<String, Object>> notesOf(@PathParam("id") long id) {
        return notes.notesOf(existing(id).getId()).stream().map(DemoApi::json).toList();
    }

    @POST
    @Path("login")
    public Sessions.Login login(@NotNull @Valid NewUser body) {
        User user = notes.userNamed(body.username());
        if (user == null) {
            throw new NotFoundException("No user is named " + body.username() + ".");
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
        return Map.of("sessionsEnded", sessions.logoutEverywhere(existing(id).getId()));
    }

    /**
     * The body of an increment: the id the client chose for it, so that a repeated request cannot
     * count twice, and optionally how long to hold the transaction open after the write (0 to 10000
     * ms; the shutdown tests' request in flight).
     */
    public record NewIncrement(@NotBlank @Size(max = Increment.LENGTH) String id,
            @Min(0) @Max(Counters.MAX_HOLD_MILLIS) Integer holdMs) {
    }

    /** Increments {@code name} by one; 201 once committed. A repeated id is a 409 and counts nothing. */
    @POST
    @Path("counters/{name}")
    public Response increment(@PathParam("name") @Size(max = Increment.LENGTH) String name,
            @NotNull @Valid NewIncrement body) {
        counters.increment(name, body.id(), body.holdMs() == null ? 0 : body.holdMs());
        return Response.status(Response.Status.CREATED).entity(Map.of("counter", name, "id", body.id())).build();
    }

    @GET
    @Path("counters/{name}")
    public Map<String, Object> counter(@PathParam("name") String name) {
        return Map.of("counter", name, "value", counters.value(name));
    }

    /** The user {@code id}; a 404 if there is none. */
    private User existing(long id) {
        User user = notes.user(id);
        if (user == null) {
            throw new NotFoundException("No user has the id " + id + ".");
        }
        return user;
    }

    private static Map<String, Object> json(User user) {
        return Map.of("id", user.getId(), "username", user.getUsername());
    }

    private static Map<String, Object> json(Note note) {
        return Map.of("id", note.getId(), "owner", note.getOwnerId(), "text", note.getText());
    }
}
