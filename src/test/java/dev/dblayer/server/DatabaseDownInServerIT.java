package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.RedisServerProcess;

/**
 * The database is down when the application starts (nothing listens on its port), so the
 * persistence unit is not deployed: a burst of requests, to a Jakarta REST resource and to a servlet
 * behind dblayer's filter, all get 503 with Retry-After, never a 500.
 *
 * <p>How long the burst takes is not asserted here: that one deployment attempt at a time and at
 * most one a second keeps every caller within {@code database.pool.timeout} + 1 s is
 * {@code DatabaseOutageIT}'s to check. In a server the wall time is the server's own: Open Liberty
 * logs every exception a servlet throws (SRVE0777E, with an FFDC incident) even when a filter then
 * answers it, and grows its thread pool a few threads at a time, so 25 failing servlet requests at
 * once took up to 11 s there on a loaded machine.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DatabaseDownInServerIT {

    static final String APP = "database-down";
    static final Duration POOL_TIMEOUT = Duration.ofMillis(300);
    static final int REQUESTS = 50;

    @Deployment(name = APP)
    static WebArchive deployment() {
        Map<String, String> settings = new HashMap<>(
                LocalDatabases.settings(DatabaseType.POSTGRESQL, PostgresInServerIT.DATABASE));
        settings.put("database.host", "127.0.0.1");
        settings.put("database.port", Integer.toString(RedisServerProcess.freePort()));
        settings.put("database.pool.timeout", POOL_TIMEOUT.toMillis() + "ms");
        return PoolTimeoutInServerIT.war(APP, settings);
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyRequestWhileTheUnitIsNotDeployedGets503() throws Exception {
        for (String path : new String[] {"api/count", "servlet/count"}) {
            // the first request to each initialises the servlet and Jakarta REST: not what is measured
            assertEquals(503, http.send(request(path), HttpResponse.BodyHandlers.ofString()).statusCode(), path);
        }
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        List<Long> started = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String path = i % 2 == 0 ? "api/count" : "servlet/count";
            started.add(System.nanoTime());
            answers.add(http.sendAsync(request(path), HttpResponse.BodyHandlers.ofString()));
        }
        long slowestMillis = 0;
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> answer = answers.get(i).get();
            long millis = (System.nanoTime() - started.get(i)) / 1_000_000;
            slowestMillis = Math.max(slowestMillis, millis);
            String what = answer.request().uri().getPath();
            assertEquals(503, answer.statusCode(), what + " while the database is down: " + answer.body());
            assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null), what + " says when to retry");
            assertTrue(answer.body().contains("\"status\":503") && answer.body().contains("unreachable"),
                    what + " answers a problem that says why: " + answer.body());
        }
        System.out.printf("%d requests while the database is down: slowest answer %d ms%n", REQUESTS, slowestMillis);
    }

    private static HttpRequest request(String path) {
        int port = Deployments.httpPort();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + APP + "/" + path)).build();
    }
}
