package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.RedisServerProcess;

/**
 * Hostile configuration in the server under test, with few deployments (each one boots a fresh
 * Payara Micro): invalid values fail the deployment; credentials the servers reject do not, and
 * readiness says why. The settings' own tables ({@code DatabaseSettingsTest}, {@code RedisSettingsTest})
 * check every message; here the server must turn them into a failed deployment.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileConfigurationInServerIT {

    static final String BAD_TYPE = "hostile-type";
    static final String REJECTED = "hostile-credentials";
    static final String UNKNOWN_NAMES = "hostile-names";
    static final String MISSING_DATABASE = "dblayer_no_such_database";
    static final String CANARY_USER = LocalDatabases.ofThisServer("dblayer_canary");
    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_hostile");
    static final RedisServerProcess REDIS = RedisServerProcess.start("--requirepass", "the-right-one");

    @ArquillianResource
    Deployer deployer;

    private static Map<String, String> base() {
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
        settings.put("redis.host", "127.0.0.1");
        settings.put("redis.port", Integer.toString(REDIS.port()));
        settings.put("redis.password", "the-right-one");
        return settings;
    }

    private static WebArchive war(String name, Map<String, String> settings) {
        return Deployments.war(name, settings)
                .addPackage(Item.class.getPackage())
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @Deployment(name = BAD_TYPE, managed = false)
    static WebArchive unknownDatabaseType() {
        Map<String, String> settings = base();
        settings.put("database.type", "oracle");
        settings.put("database.password", SecretCanaries.FAILED_DEPLOYMENT_PASSWORD);
        // also malformed, with a password in it: whichever is read first fails the deployment
        settings.remove("redis.host");
        settings.remove("redis.port");
        settings.remove("redis.password");
        settings.put("redis.url", "redis://:" + SecretCanaries.REDIS_URL_PASSWORD + "@127.0.0.1:" + REDIS.port() + "/%zz");
        return war(BAD_TYPE, settings);
    }

    @Deployment(name = REJECTED, managed = false)
    static WebArchive credentialsTheServersReject() {
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.MYSQL, DATABASE));
        settings.put("database.user", CANARY_USER);
        settings.put("database.password", SecretCanaries.DATABASE_PASSWORD);
        // short, so that the pool's wait ends and readiness shows the driver's reason within seconds
        settings.put("database.pool.timeout", "1s");
        settings.put("redis.host", "127.0.0.1");
        settings.put("redis.port", Integer.toString(REDIS.port()));
        settings.put("redis.password", SecretCanaries.REDIS_PASSWORD);
        return war(REJECTED, settings);
    }

    @Deployment(name = UNKNOWN_NAMES, managed = false)
    static WebArchive namesTheServersDoNotKnow() {
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, MISSING_DATABASE));
        settings.put("database.pool.timeout", "1s");
        settings.put("redis.host", "127.0.0.1");
        settings.put("redis.port", Integer.toString(REDIS.port()));
        settings.put("redis.username", "no_such_user");
        settings.put("redis.password", SecretCanaries.REDIS_PASSWORD);
        return war(UNKNOWN_NAMES, settings);
    }

    @AfterAll
    static void stopRedisAndDropTheUser() throws Exception {
        REDIS.close();
        try (Connection admin = LocalDatabases.admin(DatabaseType.MYSQL); Statement statement = admin.createStatement()) {
            statement.execute("DROP USER IF EXISTS '" + CANARY_USER + "'@'127.0.0.1'");
        }
    }

    @Test
    void invalidSettingsFailTheDeploymentWithAMessageNamingTheSetting() throws Exception {
        // Open Liberty's adapter throws (after appDeployTimeout); Payara Micro's logs the failure and
        // returns: either way the application must not serve, and the log must say which setting.
        String log = Deployments.deployFailing(deployer, BAD_TYPE);
        try {
            HttpResponse<String> probe = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + Deployments.httpPort() + "/" + BAD_TYPE + "/probe/entity-manager"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, probe.statusCode(), "the application with database.type=oracle and a malformed"
                    + " redis.url is not deployed: " + probe.body());
            assertTrue(log.contains("database.type must be one of [postgresql, mysql] but was \"oracle\"")
                    || log.contains("redis.url must be a URL of the form"),
                    "the server log says which setting is invalid and how");
        } finally {
            undeployQuietly(BAD_TYPE);
        }
    }

    @Test
    void rejectedCredentialsDeployAndReadinessSaysWhyWithoutThePasswords() throws Exception {
        LocalDatabases.ensureDatabase(DatabaseType.MYSQL, DATABASE);
        try (Connection admin = LocalDatabases.admin(DatabaseType.MYSQL); Statement statement = admin.createStatement()) {
            statement.execute("DROP USER IF EXISTS '" + CANARY_USER + "'@'127.0.0.1'");
            // A real user whose password is not the canary: MariaDB answers "Access denied".
            statement.execute("CREATE USER '" + CANARY_USER + "'@'127.0.0.1' IDENTIFIED BY 'not-the-canary-91'");
            statement.execute("GRANT ALL ON " + DATABASE + ".* TO '" + CANARY_USER + "'@'127.0.0.1'");
        }
        deployer.deploy(REJECTED);
        try {
            HttpResponse<String> ready = readyMentioning("Access denied", "authentication");
            assertEquals(503, ready.statusCode(), "readiness is DOWN with both credentials rejected: " + ready.body());
            assertTrue(ready.body().contains("Access denied"),
                    "the database check names MariaDB's reason: " + ready.body());
            assertTrue(ready.body().contains("authentication"),
                    "the Redis check says authentication failed: " + ready.body());
            for (String canary : SecretCanaries.ALL) {
                assertFalse(ready.body().contains(canary), "no password in the health answer: " + ready.body());
            }
        } finally {
            deployer.undeploy(REJECTED);
        }
    }

    @Test
    void unknownDatabaseAndRedisUserDeployAndReadinessSaysWhy() throws Exception {
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, MISSING_DATABASE);
        deployer.deploy(UNKNOWN_NAMES);
        try {
            HttpResponse<String> ready = readyMentioning("does not exist", "authentication");
            assertEquals(503, ready.statusCode(), "readiness is DOWN: " + ready.body());
            assertTrue(ready.body().contains(MISSING_DATABASE) && ready.body().contains("does not exist"),
                    "the database check names PostgreSQL's reason: " + ready.body());
            assertTrue(ready.body().contains("authentication"),
                    "the Redis check says the ACL user was not accepted: " + ready.body());
            assertFalse(ready.body().contains(SecretCanaries.REDIS_PASSWORD), "no password in the health answer");
        } finally {
            deployer.undeploy(UNKNOWN_NAMES);
        }
    }

    /** /health/ready once its answer mentions every one of {@code words}, or its last answer after 10 s. */
    private static HttpResponse<String> readyMentioning(String... words) throws Exception {
        HttpResponse<String> ready = ready();
        for (int i = 0; i < 40 && !Arrays.stream(words).allMatch(ready.body()::contains); i++) {
            Thread.sleep(250);
            ready = ready();
        }
        return ready;
    }

    private static HttpResponse<String> ready() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + Deployments.httpPort() + "/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void undeployQuietly(String name) {
        try {
            deployer.undeploy(name);
        } catch (RuntimeException e) {
            // a deployment that failed may not be registered as deployed
        }
    }

}
