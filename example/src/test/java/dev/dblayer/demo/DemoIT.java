package dev.dblayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The demo end to end, in Open Liberty, as a user would call it: create, read, a failing write
 * that rolls back, login, logout everywhere, the health endpoints, and bad input answered 400 (or
 * 404 for a user that does not exist) with a problem body that says what is wrong.
 */
class DemoIT {

    private static final String BASE = System.getProperty("demo.url", "http://127.0.0.1:9080");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void notesAreCreatedReadAndABatchWithAnEmptyNoteSavesNothing() throws Exception {
        long user = createUser("ada-" + UUID.randomUUID());

        Reply created = post("/api/users/" + user + "/notes", "{\"texts\":[\"first\",\"second\"]}");
        assertEquals(201, created.status, "two notes are created: " + created.body);

        Reply failed = post("/api/users/" + user + "/notes", "{\"texts\":[\"third\",\"\"]}");
        assertProblem(400, "texts[1]", failed, "a batch with an empty note is refused, naming the note");

        Reply notes = get("/api/users/" + user + "/notes");
        assertEquals(200, notes.status, "notes are listed");
        assertTrue(notes.body.contains("first") && notes.body.contains("second"), "both notes are there: " + notes.body);
        assertTrue(!notes.body.contains("third"), "the failed batch left nothing behind, not even its valid note: "
                + notes.body);
    }

    @Test
    void duplicateUserIsAConflictAndNothingIsSaved() throws Exception {
        String name = "grace-" + UUID.randomUUID();
        createUser(name);
        Reply again = post("/api/users", "{\"username\":\"" + name + "\"}");
        assertProblem(409, "nothing was saved", again, "the unique constraint, violated at commit, answers 409");
    }

    @Test
    void malformedJsonIsABadRequestThatSaysWhereItBroke() throws Exception {
        Reply garbage = post("/api/users", "garbage");
        assertProblem(400, "not the JSON", garbage, "a body that is not JSON is the client's mistake, not a 500");
        assertTrue(garbage.body.contains("column no=1"), "the parser's reason says where: " + garbage.body);
        assertProblem(400, "not the JSON", post("/api/users", "{\"username\":"), "truncated JSON");
        assertProblem(400, "not the JSON", post("/api/users", "[]"), "JSON of the wrong shape");
        assertProblem(400, "not the JSON", post("/api/users/1/notes", "{\"texts\":\"one\"}"),
                "a string where a list belongs");
    }

    @Test
    void aMissingBodyIsABadRequest() throws Exception {
        Reply none = send(HttpRequest.newBuilder(URI.create(BASE + "/api/users"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()));
        assertProblem(400, "no body", none, "no body at all");
        assertProblem(400, "body: must not be null", post("/api/users", "null"), "a JSON null as the body");
        assertProblem(400, "body: must not be null", post("/api/login", "null"), "a JSON null as a login");
    }

    @Test
    void aBlankOrTooLongUsernameIsABadRequestNamingTheField() throws Exception {
        assertProblem(400, "username: must not be blank", post("/api/users", "{\"username\":\"\"}"),
                "an empty username");
        assertProblem(400, "username: must not be blank", post("/api/users", "{\"username\":\"  \"}"),
                "a blank username");
        assertProblem(400, "username: must not be blank", post("/api/users", "{}"), "no username");
        assertProblem(400, "username: must not be blank", post("/api/login", "{\"username\":\" \"}"),
                "a blank login");
        String name = "x-" + UUID.randomUUID();
        String tooLong = name + "y".repeat(65 - name.length());
        assertProblem(400, "username: size must be between 0 and 64",
                post("/api/users", "{\"username\":\"" + tooLong + "\"}"), "65 characters, one more than the column");
        String longest = tooLong.substring(0, 64);
        createUser(longest);
        Reply login = post("/api/login", "{\"username\":\"" + longest + "\"}");
        assertEquals(200, login.status, "the longest name the column holds is a valid user and logs in: " + login.body);
    }

    @Test
    void anEmptyOrInvalidListOfNotesIsABadRequestNamingTheField() throws Exception {
        long user = createUser("notes-" + UUID.randomUUID());
        String notes = "/api/users/" + user + "/notes";
        assertProblem(400, "texts: must not be empty", post(notes, "{\"texts\":[]}"), "an empty list");
        assertProblem(400, "texts: must not be empty", post(notes, "{}"), "no list");
        assertProblem(400, "texts[0]: must not be blank", post(notes, "{\"texts\":[\"  \"]}"), "a blank note");
        assertProblem(400, "texts[1]: must not be blank", post(notes, "{\"texts\":[\"a\",null]}"), "a null note");
        assertProblem(400, "texts[0]: size must be between 0 and 200",
                post(notes, "{\"texts\":[\"" + "n".repeat(201) + "\"]}"), "a note longer than its column");
        assertEquals("[]", get(notes).body, "none of the refused notes was saved");

        Reply longest = post(notes, "{\"texts\":[\"" + "n".repeat(200) + "\"]}");
        assertEquals(201, longest.status, "a note as long as its column is valid: " + longest.body);
    }

    @Test
    void anIdThatNamesNoUserIsNotFound() throws Exception {
        long nobody = Long.MAX_VALUE;
        String detail = "No user has the id " + nobody;
        assertProblem(404, detail, get("/api/users/" + nobody), "reading the user");
        assertProblem(404, detail, get("/api/users/" + nobody + "/notes"), "listing the notes");
        assertProblem(404, detail, post("/api/users/" + nobody + "/notes", "{\"texts\":[\"orphan\"]}"),
                "adding a note");
        assertProblem(404, detail, post("/api/users/" + nobody + "/logout-everywhere", "{}"), "logging out");
        assertProblem(404, "No user is named", post("/api/login", "{\"username\":\"nobody-" + UUID.randomUUID() + "\"}"),
                "logging in");
        // Jakarta REST answers 404 for a path parameter that does not convert; its wording is the server's
        String any = "\"detail\":\"";
        assertProblem(404, any, get("/api/users/abc"), "an id that is not a number");
        assertProblem(404, any, post("/api/users/abc/notes", "{\"texts\":[\"x\"]}"),
                "adding notes under an id that is not a number");
        assertProblem(404, any, get("/api/users/99999999999999999999"), "an id beyond a long");
    }

    @Test
    void loginTokensLiveInRedisAndLogoutEverywhereEndsAllSessions() throws Exception {
        String name = "alan-" + UUID.randomUUID();
        long user = createUser(name);
        Reply first = post("/api/login", "{\"username\":\"" + name + "\"}");
        Reply second = post("/api/login", "{\"username\":\"" + name + "\"}");
        assertEquals(200, first.status, "login works: " + first.body);
        String session = field(first.body, "session");
        String token = field(first.body, "token");
        assertEquals("true", field(check(user, session, token).body, "valid"), "the fresh token is valid");
        assertEquals("false", field(check(user, session, "forged").body, "valid"), "a forged token is not");

        Reply logout = post("/api/users/" + user + "/logout-everywhere", "{}");
        assertEquals("2", field(logout.body, "sessionsEnded"), "both sessions ended: " + logout.body);
        assertEquals("false", field(check(user, session, token).body, "valid"), "the token is gone after logout");
        assertEquals(200, second.status, "second login worked");
    }

    @Test
    void healthEndpointsAnswer() throws Exception {
        Reply ready = get("/health/ready");
        assertEquals(200, ready.status, "ready with the local database and Redis: " + ready.body);
        assertTrue(ready.body.contains("\"database\"") && ready.body.contains("\"redis\""), "both checks: " + ready.body);
        assertEquals(200, get("/health/live").status, "live");
        assertEquals(200, get("/health/started").status, "started: the schema exists");
    }

    @Test
    void metricsShowThePools() throws Exception {
        get("/health/ready");
        Reply metrics = get("/metrics");
        assertEquals(200, metrics.status, "the demo serves /metrics without a login: " + metrics.body);
        assertTrue(metrics.body.lines().anyMatch(line -> line.startsWith("db_client_connection_max")
                        && line.contains("pool_name=\"dblayer\"")),
                "the database pool's metrics are there: " + metrics.body.lines()
                        .filter(line -> line.contains("db_client") || line.contains("dblayer")).toList());
        assertTrue(metrics.body.lines().anyMatch(line -> line.startsWith("db_client_connection_count")
                        && line.contains("pool_name=\"redis\"")), "and the Redis pool's");
        assertTrue(metrics.body.contains("dblayer_health_check_status"), "and the checks'");
    }

    /**
     * Asserts an RFC 9457 answer: the status, the problem media type, the same status in the body,
     * and {@code detail} somewhere in it.
     */
    private static void assertProblem(int status, String detail, Reply reply, String what) {
        assertEquals(status, reply.status, what + " answers " + status + ": " + reply.body);
        assertEquals("application/problem+json", reply.type, what + " has a problem body: " + reply.body);
        assertEquals(String.valueOf(status), field(reply.body, "status"), what + ": the body's status");
        assertTrue(reply.body.contains(detail), what + ": the body says \"" + detail + "\": " + reply.body);
    }

    private static long createUser(String name) throws Exception {
        Reply reply = post("/api/users", "{\"username\":\"" + name + "\"}");
        assertEquals(201, reply.status, "user created: " + reply.body);
        return Long.parseLong(field(reply.body, "id"));
    }

    private static Reply check(long user, String session, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(BASE + "/api/users/" + user + "/sessions/" + session))
                .header("X-Token", token).GET());
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        assertTrue(matcher.find(), "field " + name + " in " + json);
        return matcher.group(1);
    }

    record Reply(int status, String type, String body) {
    }

    private static Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).GET());
    }

    private static Reply post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }
}
