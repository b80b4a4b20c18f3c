package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.saturated.Load;
import dev.dblayer.server.saturated.LoadServlet;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.TcpProxy;
import dev.dblayer.testsupport.TcpProxy.Mode;

/**
 * The database readiness check of a pool of 4 in the server under test, with the database behind
 * a proxy the test controls: a healthy pool is probed on its own connections; long queries
 * holding every connection while requests wait keep it UP and saturated; the database hanging
 * (proxy frozen) or gone (proxy killed) under load turns it DOWN with the reason, within about two
 * deadlines and one probe; and it is UP again when the database is back. The load runs on the
 * application's own threads ({@link Load}). Methods run in order, on one deployment.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RunAsClient
class SaturatedPoolInServerIT {

    static final String APP = "saturated";
    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_sat");
    static final int POOL = 4;
    /** database.health.timeout: the default. */
    static final Duration DEADLINE = Duration.ofMillis(300);
    /**
     * The contract (window + one probe + deadline, about 1 s), with room for a busy 2-core machine;
     * the measured time is printed.
     */
    static final Duration DOWN_BOUND = Duration.ofSeconds(2);
    static final TcpProxy DATABASE_PORT = TcpProxy.to(5432);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(name = APP)
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        DATABASE_PORT.mode(Mode.FORWARD);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
        settings.put("database.port", Integer.toString(DATABASE_PORT.port()));
        settings.put("database.pool.size", Integer.toString(POOL));
        settings.put("database.pool.max-overflow", "0");
        // Waiting requests stay waiting while the test looks.
        settings.put("database.pool.timeout", "10s");
        // Only the database check decides readiness here.
        settings.put("redis.required", "false");
        return Deployments.war(APP, settings)
                .addPackage(Item.class.getPackage())
                .addPackage(LoadServlet.class.getPackage())
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @AfterAll
    static void stopProxy() {
        DATABASE_PORT.close();
    }

    @Test
    @Order(1)
    void aHealthyPoolIsProbedOnItsOwnConnectionsWithoutOpeningNewOnes() throws Exception {
        Probe ready = awaitStatus(200, Duration.ofSeconds(30));
        assertEquals(200, ready.status, "readiness is UP once the pool is open: " + ready.body);
        awaitPoolOpen();
        long acceptedBefore = DATABASE_PORT.acceptedConnections();
        for (int i = 0; i < 20; i++) {
            Probe probe = probe();
            assertEquals(200, probe.status, "the healthy database is UP: " + probe.body);
            assertTrue(probe.database().has("latencyMs"), "a pooled connection was validated: " + probe.body);
            assertFalse(probe.database().has("proof"), "no proof is asked of a pool that is not busy: " + probe.body);
        }
        assertEquals(acceptedBefore, DATABASE_PORT.acceptedConnections(),
                "20 probes of a healthy pool open no connection to the database");
    }

    @Test
    @Order(2)
    void longQueriesHoldingEveryConnectionWithRequestsWaitingAreUpAndSaturated() throws Exception {
        assertEquals(200, awaitStatus(200, Duration.ofSeconds(30)).status, "UP before the load");
        appGet("load/sleep?connections=" + POOL + "&seconds=5");
        awaitDatabaseData("every connection held by pg_sleep", d -> d.optInt("pool.active") == POOL);
        appGet("load/reads?threads=3");
        awaitDatabaseData("requests waiting", d -> d.optInt("pool.waiting") > 0);

        List<Probe> probes = new ArrayList<>();
        Probe probe = probe();
        // Until the sleeps end and the waiting reads get their connections.
        while (probe.database().optInt("pool.waiting") > 0 && probes.size() < 100) {
            probes.add(probe);
            Thread.sleep(100);
            probe = probe();
        }
        String counts = appGet("load/stop");
        List<Probe> checkedOnOwnConnection = probes.stream()
                .filter(p -> "saturated".equals(p.database().optString("pool"))
                        && "own connection".equals(p.database().optString("proof")))
                .toList();
        System.out.println("pg_sleep holding the pool of " + POOL + ": " + probes.size() + " probes while requests"
                + " waited, " + checkedOnOwnConnection.size() + " saturated with the database checked on the check's"
                + " own connection; reads ok/failed: " + counts);
        for (Probe saturated : probes) {
            assertEquals(200, saturated.status, "long queries holding every connection are not an outage: "
                    + saturated.body);
        }
        assertTrue(probes.stream().filter(p -> "saturated".equals(p.database().optString("pool"))).count() >= 10,
                "the pool was reported saturated for seconds: " + probes);
        assertFalse(checkedOnOwnConnection.isEmpty(), "with no connection returned for longer than the deadline,"
                + " the check asked the database on a connection of its own: " + probes);
        assertEquals("0", counts.split(" ")[1], "no read failed: they waited for the long queries");
    }

    @Test
    @Order(3)
    void aDatabaseThatHangsUnderLoadIsDownWithinTheBoundAndUpWhenItAnswersAgain() throws Exception {
        assertEquals(200, awaitStatus(200, Duration.ofSeconds(30)).status, "UP before the load");
        appGet("load/reads?threads=6");
        try {
            awaitReads(20);
            long frozenAt = System.nanoTime();
            DATABASE_PORT.mode(Mode.FROZEN);
            Probe down = awaitDown(frozenAt);
            String reason = down.database().optString("reason");
            assertTrue(reason.contains("within " + DEADLINE.toMillis() + "ms"),
                    "the reason says the database did not answer within the deadline: " + down.body);
        } finally {
            DATABASE_PORT.mode(Mode.FORWARD);
        }
        Probe up = awaitStatus(200, Duration.ofSeconds(20));
        assertEquals(200, up.status, "readiness is UP again once the database answers: " + up.body);
        awaitReads(Long.parseLong(appGet("load/counts").split(" ")[0]) + 20);
        appGet("load/stop");
    }

    @Test
    @Order(4)
    void aDatabaseThatGoesAwayUnderLoadIsDownAndUpWhenItIsBack() throws Exception {
        assertEquals(200, awaitStatus(200, Duration.ofSeconds(30)).status, "UP before the load");
        appGet("load/reads?threads=6");
        try {
            awaitReads(20);
            long killedAt = System.nanoTime();
            DATABASE_PORT.mode(Mode.CLOSED);
            Probe down = awaitDown(killedAt);
            String reason = down.database().optString("reason");
            assertTrue(reason.contains("refused") || reason.contains("within " + DEADLINE.toMillis() + "ms")
                    || reason.contains("did not validate"),
                    "the reason says the database refused, did not answer or broke the connection: " + down.body);
        } finally {
            DATABASE_PORT.mode(Mode.FORWARD);
        }
        Probe up = awaitStatus(200, Duration.ofSeconds(20));
        assertEquals(200, up.status, "readiness is UP again once the database is back: " + up.body);
        awaitReads(Long.parseLong(appGet("load/counts").split(" ")[0]) + 20);
        appGet("load/stop");
    }

    /** Probes back to back from {@code brokenAt} until DOWN; asserts the bound and prints the time it took. */
    private static Probe awaitDown(long brokenAt) throws Exception {
        Probe probe = probe();
        int upProbes = 0;
        while (probe.status != 503 && System.nanoTime() - brokenAt < TimeUnit.SECONDS.toNanos(15)) {
            upProbes++;
            probe = probe();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - brokenAt);
        assertEquals(503, probe.status, "readiness turns DOWN: " + probe.body);
        assertEquals("DOWN", probe.database().optString("status"), "the database check is DOWN: " + probe.body);
        System.out.println("DOWN " + millis + " ms after the database broke, after " + upProbes + " UP probes: "
                + probe.database().optString("reason"));
        assertTrue(millis <= DOWN_BOUND.toMillis(), "DOWN within " + DOWN_BOUND.toMillis() + " ms; it took "
                + millis + " ms: " + probe.body);
        return probe;
    }

    /** Waits until the application's reads have succeeded {@code count} times in all. */
    private static void awaitReads(long count) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String counts = appGet("load/counts");
        while (Long.parseLong(counts.split(" ")[0]) < count && System.nanoTime() < end) {
            Thread.sleep(20);
            counts = appGet("load/counts");
        }
        assertTrue(Long.parseLong(counts.split(" ")[0]) >= count, "the reads run: ok/failed " + counts);
    }

    /** HikariCP opens the pool's idle connections in the background after startup. */
    private static void awaitPoolOpen() throws Exception {
        awaitDatabaseData("the pool's " + POOL + " connections open",
                d -> d.optInt("pool.idle") + d.optInt("pool.active") == POOL);
    }

    private static void awaitDatabaseData(String what, java.util.function.Predicate<JSONObject> condition)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Probe probe = probe();
        while (!condition.test(probe.database()) && System.nanoTime() < end) {
            Thread.sleep(50);
            probe = probe();
        }
        assertTrue(condition.test(probe.database()), what + ": " + probe.body);
    }

    record Probe(int status, String body) {

        /** The database check's data, and its status and the reason, in one object. */
        JSONObject database() {
            JSONArray checks = new JSONObject(body).getJSONArray("checks");
            for (int i = 0; i < checks.length(); i++) {
                JSONObject check = checks.getJSONObject(i);
                if ("database".equals(check.getString("name"))) {
                    JSONObject data = check.optJSONObject("data", new JSONObject());
                    return data.put("status", check.getString("status"));
                }
            }
            throw new AssertionError("no database check in " + body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private static Probe probe() throws IOException, InterruptedException {
        // The health endpoints are at the server's root, not under the application's context root.
        URI uri = URI.create("http://127.0.0.1:" + Deployments.httpPort() + "/health/ready");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Probe(response.statusCode(), response.body());
    }

    private static Probe awaitStatus(int status, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        Probe probe = probe();
        while (probe.status != status && System.nanoTime() < end) {
            Thread.sleep(100);
            probe = probe();
        }
        return probe;
    }

    private static HttpRequest appRequest(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Deployments.httpPort() + "/" + APP + "/" + path))
                .timeout(Duration.ofSeconds(30)).build();
    }

    private static String appGet(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(appRequest(path), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
