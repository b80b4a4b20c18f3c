package dev.dblayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README's run command on a bare machine, and on this one. Bare: the demo in an Open Liberty
 * of its own, with the configured database and Redis ports closed, comes up on the PostgreSQL and
 * Redis that dev services start (their data under the server's output directory), creates a user,
 * logs in and out everywhere; Ctrl-C stops the server and both, and the next start finds the user
 * again. Usual: the demo server of {@code mvn verify}, on the shared services, started nothing.
 */
class DevServicesIT {

    private static final Path WLP = Path.of(System.getProperty("liberty.wlp", "target/liberty/wlp"));
    private static final Path WAR = Path.of(System.getProperty("demo.war", "target/dblayer-demo.war"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern STARTED = Pattern.compile(
            "dblayer dev services: started (PostgreSQL|Redis) (\\S+) .*?on 127\\.0\\.0\\.1:(\\d+), data in (\\S+),");
    private static final String SERVER = "devservices";

    @Test
    void onABareMachineTheDemoRunsOnTheServicesItStartsAndStopsThemOnCtrlC() throws Exception {
        Path output = WLP.resolve("usr/servers").resolve(SERVER);
        Path data = output.resolve("dblayer-dev-services");
        delete(data);
        Map<String, String> closed = Map.of(
                "DATABASE_PORT", String.valueOf(FreePorts.take()),
                "REDIS_PORT", String.valueOf(FreePorts.take()));
        int port = FreePorts.take();
        String base = "http://127.0.0.1:" + port;
        String name = "bare-" + System.nanoTime();

        ServerProcess first = ServerProcess.libertyInAGroup(WLP, SERVER, port, WAR, closed);
        ProcessHandle postgres;
        ProcessHandle redis;
        try {
            first.awaitReady(Duration.ofSeconds(240));
            String log = RollingRestartIT.read(output.resolve("logs/messages.log"));
            assertStarted(log, "PostgreSQL", data.resolve("postgresql"));
            assertStarted(log, "Redis", data.resolve("redis"));
            postgres = process(data.resolve("postgresql/postmaster.pid"));
            redis = process(data.resolve("redis/redis.pid"));

            HttpResponse<String> user = post(base, "/api/users", "{\"username\":\"" + name + "\"}");
            assertEquals(201, user.statusCode(), "a user is created in the embedded PostgreSQL: " + user.body());
            String id = field(user.body(), "id");
            HttpResponse<String> login = post(base, "/api/login", "{\"username\":\"" + name + "\"}");
            assertEquals(200, login.statusCode(), "the session goes to the embedded Redis: " + login.body());
            HttpResponse<String> logout = post(base, "/api/users/" + id + "/logout-everywhere", "{}");
            assertEquals("1", field(logout.body(), "sessionsEnded"), "its one session ended: " + logout.body());

            first.interrupt();
            first.awaitExit(Duration.ofSeconds(90));
        } finally {
            first.stop();
        }
        assertFalse(postgres.isAlive(), "no PostgreSQL is left after Ctrl-C, PID "
                + postgres.pid() + "; see " + first.logPath());
        assertFalse(redis.isAlive(), "no redis-server is left after Ctrl-C, PID " + redis.pid());
        assertTrue(RollingRestartIT.read(output.resolve("logs/messages.log")).contains(
                "dblayer dev services: stopped PostgreSQL"), "the stop is logged");

        ServerProcess second = ServerProcess.liberty(WLP, SERVER, port, WAR, closed);
        try {
            second.awaitReady(Duration.ofSeconds(240));
            HttpResponse<String> again = post(base, "/api/login", "{\"username\":\"" + name + "\"}");
            assertEquals(200, again.statusCode(), "the user outlived the restart, in the kept data: " + again.body());
            postgres = process(data.resolve("postgresql/postmaster.pid"));
            redis = process(data.resolve("redis/redis.pid"));
            second.terminate();
            second.awaitExit(Duration.ofSeconds(90));
        } finally {
            second.stop();
        }
        assertFalse(postgres.isAlive(), "no PostgreSQL is left after SIGTERM, PID " + postgres.pid());
        assertFalse(redis.isAlive(), "no redis-server is left after SIGTERM, PID " + redis.pid());
    }

    @Test
    void whereTheServicesAnswerTheDemoStartedNothing() throws IOException {
        Path messages = WLP.resolve("usr/servers/demo/logs/messages.log");
        String log = Files.readString(messages);
        assertTrue(log.contains("dblayer dev services: the database answers at 127.0.0.1:5432; nothing started for it"),
                "the demo of mvn verify found the shared PostgreSQL; see " + messages);
        assertTrue(log.contains("dblayer dev services: Redis answers at 127.0.0.1:6379; nothing started for it"),
                "and the shared Redis; see " + messages);
        assertFalse(log.contains("dblayer dev services: started"), "it started nothing; see " + messages);
    }

    private static void assertStarted(String log, String type, Path data) {
        Matcher matcher = STARTED.matcher(log);
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                assertEquals(data.toAbsolutePath().normalize().toString(), matcher.group(4),
                        type + "'s data is under the server's output directory");
                return;
            }
        }
        throw new AssertionError("no INFO line for " + type + " started (type, version, port, data) in:\n" + log);
    }

    private static ProcessHandle process(Path pidFile) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("PID " + pid + " of " + pidFile + " runs"));
    }

    private static HttpResponse<String> post(String base, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        assertTrue(matcher.find(), "field " + name + " in " + json);
        return matcher.group(1);
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
