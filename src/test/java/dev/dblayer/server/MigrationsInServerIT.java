package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;

/**
 * Issue 16 in the server under test: a WAR with Flyway in {@code WEB-INF/lib} and its scripts in
 * {@code WEB-INF/classes/db/migration} (found by Flyway's class-path scan through the server's
 * class loader: on Liberty through the empty {@code flyway.location} file in each location, on
 * Payara in its exploded WAR), with
 * {@code database.schema-generation=migrate} on the main database and on the named source
 * {@code reports} (whose scripts are in {@code db/migration-reports}). Deploying it applies each
 * database's own scripts, with the placeholder, and the application is ready.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MigrationsInServerIT {

    static final String APP = "migrating";
    static final String MAIN = LocalDatabases.ofThisServer("dblayer_mis_main");
    static final String REPORTS = LocalDatabases.ofThisServer("dblayer_mis_reports");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = APP, managed = false)
    static WebArchive migrating() {
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, MAIN));
        settings.put("database.pool.size", "2");
        settings.put("database.pool.max-overflow", "2");
        settings.put("database.schema-generation", "migrate");
        settings.put("database.migration.placeholders", "labelPrefix=in-server:");
        settings.put("database.sources", "reports");
        settings.put("database.sources.reports.host", "127.0.0.1");
        settings.put("database.sources.reports.schema", REPORTS);
        settings.put("database.sources.reports.schema-generation", "migrate");
        return Deployments.withFlyway(Deployments.war(APP, settings))
                .addClasses(Item.class)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml")
                .addAsResource("migrations/later/V1__create_items.sql", "db/migration/V1__create_items.sql")
                .addAsResource("migrations/later/V2__add_label.sql", "db/migration/V2__add_label.sql")
                .addAsResource("migrations/basic/V1__create_items.sql", "db/migration-reports/V1__create_items.sql")
                // what makes a class-path location findable on Open Liberty (docs/migrations.md)
                .addAsResource(EmptyAsset.INSTANCE, "db/migration/flyway.location")
                .addAsResource(EmptyAsset.INSTANCE, "db/migration-reports/flyway.location");
    }

    @Test
    void deployingTheWarAppliesEachDatabasesOwnScripts() throws Exception {
        for (String database : List.of(MAIN, REPORTS)) {
            LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, database);
            LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, database);
        }
        deployer.deploy(APP);
        try {
            HttpResponse<String> ready = awaitReady();
            assertEquals(200, ready.statusCode(), "the migrated application is ready: " + ready.body());
            assertEquals(List.of("1 true", "2 true"), history(MAIN), "the main database ran db/migration");
            assertEquals(List.of("3 in-server:one"), LocalDatabases.rows(DatabaseType.POSTGRESQL, MAIN,
                    "SELECT COUNT(*), MIN(label) FROM mig_item"), "with the placeholder's value");
            assertEquals(List.of("1 true"), history(REPORTS), "the source ran its own db/migration-reports");
            assertTrue(LocalDatabases.rows(DatabaseType.POSTGRESQL, REPORTS, "SELECT column_name FROM"
                    + " information_schema.columns WHERE table_name = 'mig_item' AND column_name = 'label'")
                    .isEmpty(), "and not the main database's V2");
        } finally {
            deployer.undeploy(APP);
            for (String database : List.of(MAIN, REPORTS)) {
                LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, database);
            }
        }
    }

    private static List<String> history(String database) throws Exception {
        return LocalDatabases.rows(DatabaseType.POSTGRESQL, database, "SELECT version, CASE WHEN success THEN"
                + " 'true' ELSE 'false' END FROM flyway_schema_history ORDER BY installed_rank");
    }

    private static HttpResponse<String> awaitReady() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Deployments.httpPort()
                + "/health/ready")).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> last = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            last = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200) {
                return last;
            }
            Thread.sleep(250);
        }
        return last;
    }
}
