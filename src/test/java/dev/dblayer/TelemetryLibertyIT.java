package dev.dblayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Background;
import dev.dblayer.server.fixtures.Inner;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Items;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.telemetry.TracedResource;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.RedisServerProcess;

/**
 * With Open Liberty's {@code mpTelemetry-2.0} (OpenTelemetry enabled for the application and its
 * exporters set to {@code console}, which logs every span and metric into the server's
 * messages.log, read here: no network endpoint), a request's {@code @Transactional} write and its
 * {@code deleteByPrefix} are spans in the request's trace, with their outcome and key count, and
 * the pools' metrics carry the semantic conventions' names and attributes. A server of its own, as
 * in {@link MinimalLibertyIT}.
 */
class TelemetryLibertyIT {

    static final String SERVER = "dblayer-telemetry";
    static final String DATABASE = "dblayer_telemetry";
    /** {@code LoggingSpanExporter}: {@code 'name' : traceId spanId KIND [tracer: scope:version] AttributesMap{...}}. */
    private static final Pattern SPAN = Pattern.compile("'([^']+)' : ([0-9a-f]{32}) ([0-9a-f]{16}) (\\w+) \\[tracer: ([^\\]]*)\\] (.*)");

    @Test
    void aRequestsTransactionAndRedisHelperAreSpansOfItsTraceAndThePoolsAreMetered() throws Exception {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
            settings.put("redis.host", "127.0.0.1");
            settings.put("redis.port", Integer.toString(redis.port()));
            settings.put("otel.sdk.disabled", "false");
            settings.put("otel.service.name", "dblayer-telemetry-it");
            settings.put("otel.traces.exporter", "console");
            settings.put("otel.metrics.exporter", "console");
            settings.put("otel.logs.exporter", "none");
            settings.put("otel.metric.export.interval", "500");
            settings.put("otel.bsp.schedule.delay", "100");
            Path war = Path.of("target/telemetry-liberty/telemetry.war").toAbsolutePath();
            Files.createDirectories(war.getParent());
            Deployments.war("telemetry", settings)
                    .addClasses(Item.class, Token.class, Items.class, Inner.class, Background.class,
                            TracedResource.class, TracedResource.Api.class)
                    .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml")
                    .as(ZipExporter.class).exportTo(war.toFile(), true);

            int port = RedisServerProcess.freePort();
            Path serverDir = MinimalLibertyIT.WLP.resolve("usr/servers/" + SERVER);
            MinimalLibertyIT.deleteRecursively(serverDir);
            MinimalLibertyIT.run("create", SERVER);
            Files.writeString(serverDir.resolve("server.xml"), """
                    <server>
                        <featureManager>
                            <feature>cdi-4.0</feature>
                            <feature>persistence-3.1</feature>
                            <feature>restfulWS-3.1</feature>
                            <feature>jsonb-3.0</feature>
                            <feature>mpConfig-3.1</feature>
                            <feature>mpHealth-4.0</feature>
                            <feature>mpTelemetry-2.0</feature>
                        </featureManager>
                        <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="%d" httpsPort="-1"/>
                        <webApplication location="%s" contextRoot="/">
                            <classloader apiTypeVisibility="+third-party"/>
                        </webApplication>
                    </server>
                    """.formatted(port, war));
            MinimalLibertyIT.run("start", SERVER);
            // The console exporters log through java.util.logging, at INFO: into messages.log.
            Path console = serverDir.resolve("logs/messages.log");
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                String name = "traced-" + UUID.randomUUID();
                HttpResponse<String> traced = awaitAnswer(http, URI.create("http://127.0.0.1:" + port
                        + "/api/traced?name=" + name));
                assertEquals(200, traced.statusCode(), traced.body());
                assertEquals("deleted 3", traced.body());

                String spans = awaitLog(console, "'dblayer.redis.deleteByPrefix'", "'dblayer.transaction'");
                Matcher transaction = span(spans, "dblayer.transaction").orElseThrow();
                Matcher deletion = span(spans, "dblayer.redis.deleteByPrefix").orElseThrow();
                assertTrue(transaction.group(6).contains("dblayer.transaction.outcome=commit")
                        && transaction.group(6).contains("dblayer.transaction.databases=main"),
                        "the transaction's span says how it ended and where: " + transaction.group());
                assertTrue(deletion.group(6).contains("dblayer.redis.keys=3"), "the helper's span counts the"
                        + " keys: " + deletion.group());
                assertTrue(transaction.group(6).contains("dblayer.pool.wait_ms="), transaction.group());
                String trace = transaction.group(2);
                assertEquals(trace, deletion.group(2), "both in one trace");
                List<String> others = SPAN.matcher(spans).results()
                        .filter(span -> span.group(2).equals(trace) && !span.group(1).startsWith("dblayer."))
                        .map(span -> span.group(1) + " " + span.group(4)).toList();
                assertTrue(others.stream().anyMatch(span -> span.endsWith("SERVER")),
                        "the trace is the request's: the server's span of the request is in it: " + others);

                // each instrument is exported once it has data: the histograms from the first borrow on
                String metrics = awaitLog(console, "db.client.connection.count", "db.client.connection.wait_time");
                assertTrue(metrics.contains("db.client.connection.pool.name=\"dblayer\"")
                        || metrics.contains("db.client.connection.pool.name=dblayer"),
                        "the pool's metrics carry its name as the semantic conventions say");
                assertTrue(metrics.contains("db.client.connection.wait_time"), "the wait is a histogram");
            } finally {
                MinimalLibertyIT.run("stop", SERVER);
            }
        }
    }

    private static Optional<Matcher> span(String log, String name) {
        Matcher span = SPAN.matcher(log);
        while (span.find()) {
            if (span.group(1).equals(name)) {
                return Optional.of(span);
            }
        }
        return Optional.empty();
    }

    /** The log once it holds every one of {@code needles}, or the assertion after 30 s. */
    private static String awaitLog(Path log, String... needles) throws Exception {
        String text = "";
        for (int i = 0; i < 60; i++) {
            text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            String current = text;
            if (List.of(needles).stream().allMatch(current::contains)) {
                return text;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(log.getFileName() + " holds not all of " + List.of(needles) + ":\n"
                + text.substring(Math.max(0, text.length() - 4000)));
    }

    private static HttpResponse<String> awaitAnswer(HttpClient http, URI uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> last = null;
        for (int i = 0; i < 120; i++) {
            try {
                last = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() != 404) {
                    return last;
                }
            } catch (IOException notYetListening) {
                // starting
            }
            Thread.sleep(500);
        }
        return last;
    }
}
