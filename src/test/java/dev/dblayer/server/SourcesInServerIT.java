package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Ticket;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.server.sources.NoSuchSource;
import dev.dblayer.server.sources.SourcesServlet;
import dev.dblayer.server.sources.TwoDatabases;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;

/**
 * Named data sources and the read replica in the server under test. The main database is
 * {@code dblayer_sis_main_<server>}, the source {@code reports} is {@code dblayer_sis_reports_<server>}, both on the shared PostgreSQL,
 * which also stands in for the replica ({@code database.replica.host=127.0.0.1}, so the replica reads
 * {@code dblayer_sis_main_<server>}; it is no standby, so its lag is unknown). In real requests: {@code @Source("reports")
 * EntityManager} writes to {@code dblayer_sis_reports_<server>} alone and the unqualified one to {@code dblayer_sis_main_<server>} alone
 * (checked over plain JDBC); {@code @Source("reports") Database} has the source's settings, with
 * {@code database.pool.size} taken from the main database's; one {@code @Transactional} method
 * commits on both databases, and rolls back on both when it throws after both inserts ran;
 * {@code @Replica EntityManager} reads a committed row and refuses to persist; readiness has the
 * source's and the replica's state in the {@code database} check. Then a WAR injecting a source that
 * is not configured fails its deployment with a message that names it and the configured sources.
 * (A bad value of {@code database.sources} fails a deployment as every bad setting does, which
 * {@link HostileConfigurationInServerIT} shows in the servers; {@code SourceSettingsTest} covers the
 * names.) Two deployments in all: a failing one costs Liberty's adapter its full deploy timeout.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SourcesInServerIT {

    static final String APP = "sources";
    static final String UNKNOWN_SOURCE_APP = "sources-unknown";
    static final String MAIN = LocalDatabases.ofThisServer("dblayer_sis_main");
    static final String REPORTS = LocalDatabases.ofThisServer("dblayer_sis_reports");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    Deployer deployer;

    /** The main database on {@code dblayer_sis_main_<server>}, the source {@code reports} on {@code dblayer_sis_reports_<server>}, the replica on 127.0.0.1. */
    private static Map<String, String> settings() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, MAIN);
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, REPORTS);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, MAIN));
        // small pools: three of them (main, reports, replica) on a PostgreSQL other builds share
        settings.put("database.pool.size", "2");
        settings.put("database.pool.max-overflow", "2");
        settings.put("database.sources", "reports");
        settings.put("database.sources.reports.host", "127.0.0.1");
        settings.put("database.sources.reports.schema", REPORTS);
        settings.put("database.replica.host", "127.0.0.1");
        return settings;
    }

    private static WebArchive war(String name, Map<String, String> settings) {
        return Deployments.war(name, settings)
                .addClasses(Item.class, Token.class, Ticket.class, TwoDatabases.class, SourcesServlet.class)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @Deployment(name = APP, managed = false)
    static WebArchive sourceAndReplica() {
        return war(APP, settings());
    }

    @Deployment(name = UNKNOWN_SOURCE_APP, managed = false)
    static WebArchive injectionOfAnUnconfiguredSource() {
        return war(UNKNOWN_SOURCE_APP, settings()).addClass(NoSuchSource.class);
    }

    @Test
    void theSourceTheMainDatabaseAndTheReplicaServeTheirOwnDatabasesAndReadiness() throws Exception {
        deployer.deploy(APP);
        try {
            String inReports = "sis-reports-" + UUID.randomUUID();
            assertEquals("created", get("sources/reports?name=" + inReports));
            assertEquals(1, count(REPORTS, inReports), "@Source(\"reports\") EntityManager wrote to " + REPORTS);
            assertEquals(0, count(MAIN, inReports), "and not to the main database " + MAIN);

            String inMain = "sis-main-" + UUID.randomUUID();
            assertEquals("created", get("sources/main?name=" + inMain));
            assertEquals(1, count(MAIN, inMain), "the unqualified EntityManager wrote to " + MAIN);
            assertEquals(0, count(REPORTS, inMain), "and not to the source's " + REPORTS);

            String[] settings = get("sources/settings").split("\n");
            assertEquals(REPORTS + " jdbc:postgresql://127.0.0.1:5432/" + REPORTS + " 2", settings[0],
                    "@Source(\"reports\") Database has the source's database and target, and the main"
                            + " database's database.pool.size where the source sets none");
            assertEquals(MAIN + " jdbc:postgresql://127.0.0.1:5432/" + MAIN + " 2", settings[1],
                    "the unqualified Database is the main one");
            assertEquals("[reports]", settings[2], "the main Database names its sources");

            String inBoth = "sis-both-" + UUID.randomUUID();
            assertEquals("created", get("sources/both?name=" + inBoth));
            assertEquals(1, count(MAIN, inBoth), "one @Transactional method writing to both committed on " + MAIN);
            assertEquals(1, count(REPORTS, inBoth), "and on " + REPORTS);

            String failed = "sis-failed-" + UUID.randomUUID();
            assertEquals("failure after writing to both databases", get("sources/both-fail?name=" + failed),
                    "the method that writes to both, flushes both and throws reaches the caller with its exception");
            assertEquals(0, count(MAIN, failed), "its insert was rolled back on " + MAIN);
            assertEquals(0, count(REPORTS, failed), "and on " + REPORTS);

            assertEquals("1", get("sources/replica-count?name=" + inMain),
                    "@Replica EntityManager reads the row committed on the main database");
            String refused = get("sources/replica-persist?name=sis-replica-" + UUID.randomUUID());
            assertTrue(refused.contains("persist") && refused.contains("read-only"),
                    "persist on @Replica EntityManager throws IllegalStateException saying it is read-only: " + refused);

            JSONObject database = awaitDatabaseCheck();
            JSONObject data = database.getJSONObject("data");
            assertEquals("UP", database.getString("status"), "the database check is UP: " + database);
            assertEquals("UP", data.getString("reports.status"), "with the source UP: " + database);
            assertTrue(data.getBoolean("reports.required"), "which readiness needs (the default): " + database);
            assertEquals("jdbc:postgresql://127.0.0.1:5432/" + REPORTS, data.getString("reports.target"),
                    "where the source is: " + database);
            assertTrue(data.has("reports.latencyMs"), "and its latency: " + database);
            assertEquals("UP", data.getString("replica.status"), "with the replica UP: " + database);
            assertEquals("jdbc:postgresql://127.0.0.1:5432/" + MAIN, data.getString("replica.target"),
                    "where the replica is: " + database);
            assertEquals("unknown (not replaying)", data.getString("replica.lag"),
                    "a server that is no standby has no lag to report: " + database);
            assertEquals("replica", data.getString("replica.reads"), "reads go to the replica: " + database);
        } finally {
            deployer.undeploy(APP);
        }
    }

    @Test
    void injectingASourceThatIsNotConfiguredFailsTheDeploymentNamingTheConfiguredOnes() throws Exception {
        String log = Deployments.deployFailing(deployer, UNKNOWN_SOURCE_APP);
        try {
            HttpResponse<String> probe = send(UNKNOWN_SOURCE_APP, "sources/settings");
            assertEquals(404, probe.statusCode(), "the WAR that injects @Source(\"nosuch\") is not deployed: "
                    + probe.body());
            assertTrue(log.contains("@Source(\"nosuch\") at") && log.contains(NoSuchSource.class.getName())
                    && log.contains("configured: [reports]"),
                    "the server log names the injection point, the source it names and the configured ones");
        } finally {
            undeployQuietly(UNKNOWN_SOURCE_APP);
        }
    }

    /** Rows named {@code name} in {@code database}'s {@code dbl_item}, over plain JDBC. */
    private static long count(String database, String name) throws Exception {
        try (Connection connection = LocalDatabases.connect(DatabaseType.POSTGRESQL, database);
                PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM dbl_item WHERE name = ?")) {
            count.setString(1, name);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /**
     * The {@code database} check of /health/ready once it, the source and the replica are UP, or its
     * last answer after 15 s (for the assertions to show).
     */
    private static JSONObject awaitDatabaseCheck() throws Exception {
        JSONObject last = new JSONObject();
        for (int i = 0; i < 60; i++) {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Deployments.httpPort()
                    + "/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            JSONArray checks = new JSONObject(body).getJSONArray("checks");
            for (int c = 0; c < checks.length(); c++) {
                JSONObject check = checks.getJSONObject(c);
                if ("database".equals(check.getString("name"))) {
                    last = check;
                }
            }
            JSONObject data = last.optJSONObject("data");
            if ("UP".equals(last.optString("status")) && data != null && "UP".equals(data.optString("reports.status"))
                    && "UP".equals(data.optString("replica.status"))) {
                return last;
            }
            Thread.sleep(250);
        }
        return last;
    }

    private static HttpResponse<String> send(String app, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Deployments.httpPort() + "/" + app
                + "/" + path)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = send(APP, path);
        assertEquals(200, response.statusCode(), "GET " + path + ": " + response.body());
        return response.body();
    }

    private void undeployQuietly(String name) {
        try {
            deployer.undeploy(name);
        } catch (RuntimeException e) {
            // a deployment that failed may not be registered as deployed
        }
    }
}
