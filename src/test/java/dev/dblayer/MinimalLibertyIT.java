package dev.dblayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.RedisServerProcess;

/**
 * The README's promise for Open Liberty: with exactly the features it lists (no Jakarta REST, no
 * servlet feature of the application's own) a WAR with dblayer deploys, is ready, and logs no error.
 * Runs the Open Liberty that the build installs for the in-server tests, as a server of its own.
 */
class MinimalLibertyIT {

    static final Path WLP = Path.of("target/liberty/wlp");
    static final String SERVER = "dblayer-minimal";
    static final String DATABASE = "dblayer_minimal";

    @Test
    void aWarWithDblayerRunsOnTheFeaturesTheReadmeLists() throws Exception {
        List<String> features = readmeFeatures();
        assertTrue(features.contains("cdi-4.0") && features.size() >= 4,
                "the README lists Liberty's features: " + features);

        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
        settings.put("redis.host", "127.0.0.1");
        Path war = Path.of("target/minimal-liberty/minimal.war").toAbsolutePath();
        Files.createDirectories(war.getParent());
        Deployments.war("minimal", settings).addClasses(Item.class, Token.class)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml")
                .as(ZipExporter.class).exportTo(war.toFile(), true);

        int port = RedisServerProcess.freePort();
        Path serverDir = WLP.resolve("usr/servers/" + SERVER);
        deleteRecursively(serverDir);
        run("create", SERVER);
        Files.writeString(serverDir.resolve("server.xml"), """
                <server>
                    <featureManager>
                %s    </featureManager>
                    <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="%d" httpsPort="-1"/>
                    <webApplication location="%s" contextRoot="/">
                        <classloader apiTypeVisibility="+third-party"/>
                    </webApplication>
                </server>
                """.formatted(features.stream().map(f -> "        <feature>" + f + "</feature>\n")
                        .collect(Collectors.joining()), port, war));
        run("start", SERVER);
        try {
            HttpResponse<String> ready = awaitReady(port);
            assertTrue(ready != null, "Open Liberty listens on port " + port + " within 60 s");
            assertEquals(200, ready.statusCode(),
                    "/health/ready on a server with only " + features + ": " + ready.body());
            assertTrue(ready.body().contains("\"database\"") && ready.body().contains("\"redis\""),
                    "both readiness checks run: " + ready.body());
            String log = Files.readString(serverDir.resolve("logs/messages.log"), StandardCharsets.UTF_8);
            List<String> errors = log.lines().filter(line -> line.matches(".* E [A-Z]{4,5}\\d{4}E: .*")).toList();
            assertEquals(List.of(), errors, "Open Liberty logged no error for the application");
            List<String> dblayerWarnings = log.lines()
                    .filter(line -> line.contains(" W ") && line.contains("dev.dblayer.metrics")).toList();
            assertEquals(List.of(), dblayerWarnings, "without mpMetrics and mpTelemetry, no warning about metrics");
            assertFalse(log.contains("NoClassDefFoundError") || log.contains("ClassNotFoundException"),
                    "no class of an absent API was loaded");
        } finally {
            run("stop", SERVER);
        }
    }

    /** The features of the README's sentence "On Open Liberty the application needs ...". */
    private static List<String> readmeFeatures() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        int start = readme.indexOf("On Open Liberty the application needs");
        assertTrue(start >= 0, "the README says which Liberty features the application needs");
        String sentence = readme.substring(start, readme.indexOf(". ", start));
        List<String> features = new ArrayList<>();
        Matcher feature = Pattern.compile("`([a-zA-Z]+-\\d+\\.\\d+)`").matcher(sentence);
        while (feature.find()) {
            features.add(feature.group(1));
        }
        return features;
    }

    private static HttpResponse<String> awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> last = null;
        for (int i = 0; i < 120; i++) {
            try {
                last = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == 200) {
                    return last;
                }
            } catch (IOException notYetListening) {
                // the server is still starting
            }
            Thread.sleep(500);
        }
        return last;
    }

    /** Runs {@code bin/server ACTION SERVER} of the build's Open Liberty and waits for it. */
    static void run(String action, String server) throws Exception {
        Process process = new ProcessBuilder(WLP.resolve("bin/server").toString(), action, server)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "server " + action + " " + server + " finished in time");
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
