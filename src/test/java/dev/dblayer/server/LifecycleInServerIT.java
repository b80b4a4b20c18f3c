package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

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
import dev.dblayer.testsupport.Await;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.RedisServerProcess;
import redis.clients.jedis.Jedis;

/**
 * The application's whole life in the server under test: Redis injected (on database index 3) and its
 * helpers used in real requests, both pools opened, snowflake ids for entities under a node id leased
 * from Redis, and after undeploy no connection left on PostgreSQL or Redis and the lease released.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LifecycleInServerIT {

    static final String APP = "lifecycle";
    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_lifecycle");
    static final RedisServerProcess REDIS = RedisServerProcess.start();

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = APP, managed = false)
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
        settings.put("redis.host", "127.0.0.1");
        settings.put("redis.port", Integer.toString(REDIS.port()));
        settings.put("redis.database", "3");
        settings.put("database.pool.size", "3");
        settings.put("database.pk-mode", "snowflake");
        return Deployments.war(APP, settings)
                .addPackage(Item.class.getPackage())
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    void redisWorksInTheServerAndUndeployLeavesNoConnection() throws Exception {
        try (Jedis observer = new Jedis("127.0.0.1", REDIS.port())) {
            IntSupplier redisClients = () -> observer.clientList().split("\n").length;
            int redisBefore = redisClients.getAsInt();
            assertEquals(0, databaseSessions(), "no session on the test database before deploy");

            deployer.deploy(APP);
            URL app = applicationUrl();
            assertEquals("v0,v1,v2,v3,v4,v5,v6,v7,v8,v9,v10,v11", get(app, "redis/fill?prefix=fba:token:1&count=12"),
                    "@Inject RedisClient writes and RedisKeys.mgetBatched reads back in order, in batches of 7");
            observer.select(3);
            assertEquals("keep", observer.get("fba:token:10:lookalike"), "the application writes to redis.database=3");
            observer.select(0);
            assertNull(observer.get("fba:token:10:lookalike"), "and not to database 0");
            assertEquals("12 0 true", get(app, "redis/delete?prefix=fba:token:1"),
                    "deleteByPrefix deletes fba:token:1:* only, leaving the look-alike fba:token:10:lookalike");
            assertEquals("0", get(app, "redis/items"), "the request's EntityManager queries the database");
            observer.select(3);
            assertEquals(1, observer.keys("fba:snowflake:nodes:*").size(),
                    "with database.pk-mode=snowflake the application leased one node id at startup");
            String lease = observer.keys("fba:snowflake:nodes:*").iterator().next();
            String node = lease.substring("fba:snowflake:nodes:".length()).replace(':', '/');
            assertEquals(node + "," + node + "," + node, get(app, "redis/tickets?count=3"),
                    "entities with PrimaryKeys.GENERATOR get snowflake ids of the leased node id " + node);
            observer.select(0);
            assertTrue(redisClients.getAsInt() > redisBefore, "the application holds Redis connections while deployed");
            assertTrue(databaseSessions() > 0, "the application holds database connections while deployed");

            deployer.undeploy(APP);
            assertEquals(0, Await.atMost(this::databaseSessions, 0), "undeploy closed every database connection");
            assertEquals(redisBefore, Await.atMost(redisClients, redisBefore), "undeploy closed every Redis connection");
            observer.select(3);
            assertTrue(observer.keys("fba:snowflake:nodes:*").isEmpty(), "undeploy released the node id lease");
        }
    }

    private URL applicationUrl() throws Exception {
        int port = Deployments.httpPort();
        return URI.create("http://127.0.0.1:" + port + "/" + APP + "/").toURL();
    }

    private int databaseSessions() {
        return LocalDatabases.sessions(DatabaseType.POSTGRESQL, DATABASE);
    }

    private static String get(URL app, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(app.toURI().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET " + path + ": " + response.body());
        return response.body();
    }
}
