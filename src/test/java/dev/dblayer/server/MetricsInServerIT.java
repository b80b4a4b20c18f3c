package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.server.metrics.MetricsServlet;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.GrafanaDashboard;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.PrometheusText;
import dev.dblayer.testsupport.RedisServerProcess;

/**
 * The pools' metrics on the server's {@code /metrics} (Open Liberty's {@code mpMetrics-5.1}, Payara
 * Micro's built-in MicroProfile Metrics), scraped and parsed as Prometheus would, following what
 * the pools really do: three connections held show as {@code used 3}; a borrower that finds none
 * raises the timeouts counter; the Redis pool's idle connections go when its (private) server
 * stops; and every metric the Grafana dashboard (server-config/grafana/dblayer.json) queries is there.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsInServerIT {

    static final String APP = "pool-metrics";
    private static final String DATABASE = LocalDatabases.ofThisServer("dblayer_metrics");
    private static RedisServerProcess redis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(name = APP)
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        redis = RedisServerProcess.start();
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
        settings.put("database.pool.size", "3");
        settings.put("database.pool.max-overflow", "0");
        settings.put("database.pool.timeout", "300ms");
        settings.put("redis.host", "127.0.0.1");
        settings.put("redis.port", Integer.toString(redis.port()));
        return Deployments.war(APP, settings)
                .addClasses(Item.class, Token.class, MetricsServlet.class)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theDatabasePoolsMetricsFollowTheConnectionsHeldAndTheTimeouts() throws Exception {
        PrometheusText before = scrape();
        assertEquals(3.0, value(before, "db_client_connection_max", "pool_name", "dblayer"), "max = pool.size");
        assertEquals(3.0, value(before, "db_client_connection_idle_min", "pool_name", "dblayer"));
        double timeoutsBefore = value(before, "db_client_connection_timeouts_total", "pool_name", "dblayer");

        assertEquals("held 3", fixture("hold?n=3"));
        try {
            PrometheusText held = scrape();
            assertEquals(3.0, value(held, "db_client_connection_count", "pool_name", "dblayer", "state", "used"),
                    "three connections held show as used");
            assertEquals(0.0, value(held, "db_client_connection_count", "pool_name", "dblayer", "state", "idle"));
            assertEquals(3.0, value(held, "dblayer_pool_connections", "pool_name", "dblayer", "state", "checked_out"),
                    "the original's gauge: checked_out");
            assertEquals(3.0, value(held, "dblayer_pool_connections", "pool_name", "dblayer", "state", "size"));
            assertEquals(0.0, value(held, "dblayer_pool_connections", "pool_name", "dblayer", "state", "overflow"));

            assertEquals("timeout", fixture("take"), "the exhausted pool gives no fourth connection");
            PrometheusText exhausted = scrape();
            assertEquals(timeoutsBefore + 1, value(exhausted, "db_client_connection_timeouts_total",
                    "pool_name", "dblayer"), "the timeout is counted");
            assertTrue(value(exhausted, "db_client_connection_wait_time_seconds_count", "pool_name", "dblayer") >= 4,
                    "every borrow's wait is timed, the one that timed out too");
        } finally {
            assertEquals("released", fixture("release"));
        }
        PrometheusText released = scrape();
        assertEquals(0.0, value(released, "db_client_connection_count", "pool_name", "dblayer", "state", "used"),
                "nothing used once released");
        assertEquals(3.0, value(released, "db_client_connection_count", "pool_name", "dblayer", "state", "idle"));
        assertTrue(value(released, "db_client_connection_use_time_seconds_count", "pool_name", "dblayer") >= 3,
                "the three returns are timed");
    }

    @Test
    void theRedisPoolsMetricsChangeWhenRedisStops() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals("PONG", fixture("redis"));
        }
        PrometheusText up = scrape();
        assertTrue(value(up, "db_client_connection_count", "pool_name", "redis", "state", "idle") >= 1,
                "a connection is idle in the Redis pool after use");
        assertEquals(0.0, value(up, "db_client_connection_count", "pool_name", "redis", "state", "used"));
        assertTrue(value(up, "db_client_connection_max", "pool_name", "redis") >= 1);
        assertTrue(value(up, "db_client_connection_wait_time_seconds_count", "pool_name", "redis") >= 3,
                "each borrow's wait is timed");

        redis.stop();
        assertTrue(fixture("redis").startsWith("failed"), "the command fails while Redis is down");
        PrometheusText down = scrape();
        assertEquals(0.0, value(down, "db_client_connection_count", "pool_name", "redis", "state", "idle"),
                "the pool dropped its broken connections");
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsPublished() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Deployments.httpPort() + "/health/ready"))
                .build(), HttpResponse.BodyHandlers.ofString()); // the checks' metrics appear with their first answer
        java.util.Set<String> published = new java.util.HashSet<>(scrape().names());
        java.util.Set<String> queried = GrafanaDashboard.metricNames(Path.of("server-config/grafana/dblayer.json"));
        assertTrue(queried.size() > 10, "the dashboard queries the pools and the checks: " + queried);
        java.util.Set<String> missing = new java.util.TreeSet<>(queried);
        missing.removeAll(published);
        assertEquals(java.util.Set.of(), missing, "every metric server-config/grafana/dblayer.json queries is on"
                + " /metrics; dblayer's there: " + published.stream()
                        .filter(n -> n.startsWith("db_client") || n.startsWith("dblayer")).sorted().toList());
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + Deployments.httpPort() + "/metrics"))
                .header("Accept", "text/plain").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode(), "/metrics answers: " + metrics.body());
        return PrometheusText.parse(metrics.body());
    }

    private static double value(PrometheusText metrics, String name, String... labels) {
        return metrics.value(name, labels).orElseThrow(() -> new AssertionError("no " + name + " "
                + String.join(",", labels) + " in /metrics; dblayer's names there: " + metrics.names().stream()
                        .filter(n -> n.startsWith("db_client") || n.startsWith("dblayer")).toList()));
    }

    private String fixture(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Deployments.httpPort() + "/" + APP
                + "/metrics-fixture/" + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
