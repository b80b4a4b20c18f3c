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
 * that rolls back, login, logout everywhere, and the health endpoints.
 */
class DemoIT {

    private static final String BASE = System.getProperty("demo.url", "http://127.0.0.1:9080");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void notesAreCreatedReadAndAFailingWriteRollsBackWhole() throws Exception {
        long user = createUser("ada-" + UUID.randomUUID());

        Reply created = post("/api/users/" + user + "/notes", "{\"texts\":[\"first\",\"second\"]}");
        assertEquals(201, created.status, "two notes are created: " + created.body);

        Reply failed = post("/api/users/" + user + "/notes", "{\"texts\":[\"third\",\"\"]}");
        assertEquals(400, failed.status, "a batch with an empty note is refused: " + failed.body);

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
        assertEquals(409, again.status, "the unique constraint, violated at commit, answers 409: " + again.body);
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

    record Reply(int status, String body) {
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
        return new Reply(response.statusCode(), response.body());
    }
}
