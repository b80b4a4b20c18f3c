package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.RedisServerProcess;
import dev.dblayer.testsupport.TcpProxy;
import dev.dblayer.testsupport.TcpProxy.Mode;

/**
 * Readiness, liveness and startup checks in the server under test, with the application's
 * database and Redis reached through proxies the test controls: down at startup, stopped,
 * restarted and hung. Methods run in order: the application starts with the database down.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RunAsClient
class HealthInServerIT {

    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_health");
    static final String REDIS_CANARY = "canary-redis-pw-5093";
    static final RedisServerProcess REDIS = RedisServerProcess.start("--requirepass", REDIS_CANARY);
    static final TcpProxy DATABASE_PORT = TcpProxy.to(5432);
    static final TcpProxy REDIS_PORT = TcpProxy.to(REDIS.port());
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment
    static WebArchive deployment() {
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, DATABASE);
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        REDIS_PORT.mode(Mode.FORWARD);
        // The database is down when the application starts.
        DATABASE_PORT.mode(Mode.CLOSED);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
        settings.put("database.port", Integer.toString(DATABASE_PORT.port()));
        settings.put("database.pool.timeout", "2s");
        settings.put("redis.host", "127.0.0.1");
        settings.put("redis.port", Integer.toString(REDIS_PORT.port()));
        settings.put("redis.password", REDIS_CANARY);
        return Deployments.war("health-it", settings)
                .addPackage(Item.class.getPackage())
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @AfterAll
    static void stopServers() {
        DATABASE_PORT.close();
        REDIS_PORT.close();
        REDIS.close();
    }

    @Test
    @Order(1)
    void databaseDownAtStartupThenUpGeneratesTheSchemaWithoutRedeploy(@ArquillianResource URL app) throws Exception {
        Probe ready = get(app, "/health/ready");
        assertEquals(503, ready.status, "readiness is DOWN while the database is down: " + ready.body);
        assertTrue(ready.body.contains("\"database\""), "the database check reports: " + ready.body);
        assertEquals(503, get(app, "/health/started").status, "startup is DOWN until the schema exists");
        assertEquals(200, get(app, "/health/live").status, "liveness does not depend on the database");

        DATABASE_PORT.mode(Mode.FORWARD);
        Probe up = awaitStatus(app, "/health/ready", 200, Duration.ofSeconds(20));
        assertEquals(200, up.status, "readiness turns UP once the database is reachable: " + up.body);
        assertEquals(200, get(app, "/health/started").status, "startup is UP once the schema is generated");
        try (var connection = LocalDatabases.connect(DatabaseType.POSTGRESQL, DATABASE);
                var tables = connection.getMetaData().getTables(null, null, "dbl_item", null)) {
            assertTrue(tables.next(), "the schema was generated when the database came up, with no redeploy");
        }
    }

    @Test
    @Order(2)
    void readyWithBothChecksUpAndTheirData(@ArquillianResource URL app) throws Exception {
        Probe ready = awaitStatus(app, "/health/ready", 200, Duration.ofSeconds(10));
        assertEquals(200, ready.status, "both dependencies are up: " + ready.body);
        assertTrue(ready.body.contains("\"redis\"") && ready.body.contains("\"database\""), "both checks: " + ready.body);
        assertTrue(ready.body.contains("latencyMs"), "latency is reported: " + ready.body);
        assertTrue(ready.body.contains("pool.active"), "pool counters are reported: " + ready.body);
        assertTrue(ready.body.contains("version"), "the Redis version is reported: " + ready.body);
        assertFalse(ready.body.contains(REDIS_CANARY), "the Redis password never appears in health output");
    }

    @Test
    @Order(3)
    void redisStoppedMakesReadinessDownAndItsRestartUpAgain(@ArquillianResource URL app) throws Exception {
        REDIS.stop();
        Probe down = awaitStatus(app, "/health/ready", 503, Duration.ofSeconds(10));
        assertEquals(503, down.status, "readiness is DOWN with Redis stopped: " + down.body);
        assertTrue(down.body.contains("reason"), "the DOWN check says why: " + down.body);
        assertFalse(down.body.contains(REDIS_CANARY), "no password in the DOWN output");
        assertEquals(200, get(app, "/health/live").status, "liveness stays UP while Redis is down");

        REDIS.restart();
        Probe up = awaitStatus(app, "/health/ready", 200, Duration.ofSeconds(10));
        assertEquals(200, up.status, "readiness is UP again after Redis restarts: " + up.body);
    }

    @Test
    @Order(4)
    void readinessAnswersWithinOneSecondWhenBothDependenciesHangWithoutPilingUp(@ArquillianResource URL app) throws Exception {
        DATABASE_PORT.mode(Mode.BLACKHOLE);
        REDIS_PORT.mode(Mode.BLACKHOLE);
        try {
            DATABASE_PORT.takePeakConnections();
            REDIS_PORT.takePeakConnections();
            int threadsBefore = Integer.parseInt(appGet(app, "threads").split(" ")[1]);
            long worstMillis = 0;
            Probe last = null;
            for (int i = 0; i < 100; i++) {
                long start = System.nanoTime();
                last = get(app, "/health/ready");
                worstMillis = Math.max(worstMillis, (System.nanoTime() - start) / 1_000_000);
            }
            assertEquals(503, last.status, "readiness is DOWN while both dependencies hang: " + last.body);
            // A bound, not a benchmark: the deadline is the product's contract with Kubernetes.
            assertTrue(worstMillis < 1000, "every probe answered within 1 s; the slowest took " + worstMillis + " ms");
            assertEquals(200, get(app, "/health/live").status, "liveness stays UP while both hang");
            String[] threads = appGet(app, "threads").split(" ");
            // The database check has two (borrowing, and its own connection while the pool is busy); Redis and startup one each.
            assertTrue(Integer.parseInt(threads[0]) <= 4, "at most two probe threads for the database check and one"
                    + " for each other check: " + threads[0]);
            int threadGrowth = Integer.parseInt(threads[1]) - threadsBefore;
            assertTrue(threadGrowth < 10, "100 probes against hung dependencies do not pile up threads: "
                    + threadsBefore + " before, " + threads[1] + " after");
            int databasePeak = DATABASE_PORT.takePeakConnections();
            int redisPeak = REDIS_PORT.takePeakConnections();
            System.out.println("100 probes against hung dependencies: slowest " + worstMillis + " ms; connections open"
                    + " at once: database " + databasePeak + ", redis " + redisPeak + "; server threads grew by "
                    + threadGrowth);
            // At most: the pooled connection the borrowing probe validates, the pool's one connection adder, the
            // check's own-connection attempt, and the previous one of those still closing on a loaded machine.
            // 100 probes that piled up would hold about 100.
            assertTrue(databasePeak <= 4, "hung database probes do not pile up connections: peak " + databasePeak);
            assertTrue(redisPeak <= 2, "hung Redis probes do not pile up connections: peak " + redisPeak);
        } finally {
            DATABASE_PORT.mode(Mode.FORWARD);
            REDIS_PORT.mode(Mode.FORWARD);
        }
        Probe up = awaitStatus(app, "/health/ready", 200, Duration.ofSeconds(30));
        assertEquals(200, up.status, "readiness recovers when both answer again: " + up.body);
    }

    record Probe(int status, String body) {
    }

    private static Probe get(URL app, String path) throws IOException, InterruptedException {
        // The health endpoints are at the server's root, not under the application's context root.
        URI uri = URI.create(app.getProtocol() + "://" + app.getHost() + ":" + app.getPort() + path);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Probe(response.statusCode(), response.body());
    }

    private static String appGet(URL app, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(app.toURI().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET " + path + ": " + response.body());
        return response.body();
    }

    private static Probe awaitStatus(URL app, String path, int status, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        Probe probe = get(app, path);
        while (probe.status != status && System.nanoTime() < end) {
            Thread.sleep(250);
            probe = get(app, path);
        }
        return probe;
    }
}
