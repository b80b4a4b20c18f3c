package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.server.pooltimeout.Holder;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;

/**
 * A request that finds no free connection within database.pool.timeout gets 503 with Retry-After,
 * from a servlet (PoolTimeoutFilter, declared in web.xml) and from a Jakarta REST resource
 * (PoolTimeoutMapper, which wins over the application's catch-all mapper); other failures keep the
 * answer they had without dblayer.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PoolTimeoutInServerIT {

    static final String APP = "pool-timeout";

    @Deployment(name = APP)
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, PostgresInServerIT.DATABASE);
        Map<String, String> settings = new HashMap<>(
                LocalDatabases.settings(DatabaseType.POSTGRESQL, PostgresInServerIT.DATABASE));
        settings.put("database.pool.size", "1");
        settings.put("database.pool.max-overflow", "0");
        settings.put("database.pool.timeout", "300ms");
        return war(APP, settings);
    }

    /** A WAR with the resource, the servlet behind dblayer's filter, and {@code settings}. */
    static WebArchive war(String name, Map<String, String> settings) {
        return Deployments.war(name, settings)
                .addClasses(Item.class, Token.class)
                .addPackage(Holder.class.getPackage())
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml")
                .setWebXML("fixtures/pool-timeout-web.xml");
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRequestThatFindsNoFreeConnectionGets503AndTheNextOneSucceeds() throws Exception {
        assertEquals(200, get("servlet/count").statusCode(), "a read succeeds while the pool is free");

        CompletableFuture<HttpResponse<String>> holding = http.sendAsync(request("servlet/hold?seconds=3"),
                HttpResponse.BodyHandlers.ofString());
        awaitActiveConnections("1");

        for (String path : new String[] {"servlet/count", "api/count"}) {
            HttpResponse<String> refused = get(path);
            assertEquals(503, refused.statusCode(),
                    "GET " + path + " while the only connection is held: " + refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null),
                    "GET " + path + " tells the client when to retry");
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    "GET " + path + " answers an RFC 9457 problem: " + refused.headers().map());
            assertTrue(refused.body().contains("database.pool.timeout") && refused.body().contains("\"status\":503"),
                    "the problem names the setting: " + refused.body());
        }

        assertEquals(200, holding.get().statusCode(), "the request holding the connection completes: "
                + holding.get().body());
        HttpResponse<String> after = get("servlet/count");
        assertEquals(200, after.statusCode(), "a read succeeds once the connection is back: " + after.body());
    }

    @Test
    void otherFailuresKeepTheirAnswer() throws Exception {
        HttpResponse<String> failed = get("servlet/fail");
        assertEquals(500, failed.statusCode(), "a servlet failure unrelated to the pool keeps the server's own 500");
        assertTrue(failed.headers().firstValue("Retry-After").isEmpty(), "and no Retry-After");

        HttpResponse<String> broken = get("api/broken");
        assertEquals(418, broken.statusCode(), "a PersistenceException that is not a pool timeout reaches the"
                + " application's catch-all mapper: " + broken.body());
        assertEquals("catch-all: jakarta.persistence.PersistenceException", broken.body(),
                "the catch-all mapper got the PersistenceException itself");
    }

    private void awaitActiveConnections(String expected) throws Exception {
        String active = "";
        for (int i = 0; i < 100 && !active.equals(expected); i++) {
            Thread.sleep(20);
            active = get("servlet/active").body();
        }
        assertEquals(expected, active, "the hold request has taken the pool's only connection");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String path) {
        int port = Deployments.httpPort();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + APP + "/" + path)).build();
    }
}
