package dev.dblayer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.RedisServerProcess;

/**
 * Settings given only as environment variables ({@code DATABASE_HOST}, {@code DATABASE_SCHEMA},
 * {@code REDIS_PORT}, {@code REDIS_PASSWORD}, ...) to a real Payara Micro process, whose WAR's
 * microprofile-config.properties holds none of them: readiness must show the database and the
 * password-protected private redis-server they name, and the password must appear nowhere.
 * Needs {@code target/payara/payara-micro.jar}, which the build copies in pre-integration-test.
 */
class EnvironmentVariablesIT {

    private static final String DATABASE = "dblayer_env";
    private static final String REPORTS = "dblayer_env_reports";
    private static final String LEGACY = "dblayer_env_legacy";
    private static final String PASSWORD = "env-secret-" + Long.toHexString(System.nanoTime());
    private static final Path WORK = Path.of("target/payara/env-it");
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(240);

    private RedisServerProcess redis;
    private Process payara;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void startDependencies() {
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, DATABASE);
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, REPORTS);
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, REPORTS);
        LocalDatabases.dropDatabase(DatabaseType.MYSQL, LEGACY);
        LocalDatabases.ensureDatabase(DatabaseType.MYSQL, LEGACY);
        redis = RedisServerProcess.start("--requirepass", PASSWORD);
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        if (payara != null) {
            payara.destroy(); // by PID: this child process only
            if (!payara.waitFor(30, TimeUnit.SECONDS)) {
                payara.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        redis.close();
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, DATABASE);
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, REPORTS);
        LocalDatabases.dropDatabase(DatabaseType.MYSQL, LEGACY);
    }

    /** Starts Payara Micro with {@code war}, {@code environment} added to a copy of this JVM's without dblayer keys. */
    private Process startPayara(File war, int port, Map<String, String> environment, Path log) throws IOException {
        Path tmp = Files.createDirectories(WORK.resolve("tmp"));
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp.toAbsolutePath(),
                "-jar", Path.of("target/payara/payara-micro.jar").toAbsolutePath().toString(),
                "--deploy", war.getAbsolutePath(), "--contextroot", "/",
                "--port", String.valueOf(port), "--nocluster")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DATABASE_") || name.startsWith("REDIS_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** The readiness response once it is 200, or the last one when the process died or the limit passed. */
    private HttpResponse<String> awaitReady(int port) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
        HttpResponse<String> last = null;
        while (payara.isAlive() && System.nanoTime() < deadline) {
            try {
                last = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == 200) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(1000);
        }
        return last;
    }

    private static boolean hasData(String json, String key, String value) {
        return Pattern.compile("\"" + key + "\"\\s*:\\s*\"" + Pattern.quote(value) + "\"").matcher(json).find();
    }

    @Test
    void aServerConfiguredOnlyByEnvironmentVariablesIsReadyOnTheirTargets() throws Exception {
        Files.createDirectories(WORK);
        File war = WORK.resolve("env.war").toFile();
        Deployments.war("env", Map.of())
                .addClasses(Item.class, Token.class)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml")
                .as(ZipExporter.class).exportTo(war, true);
        Path log = WORK.resolve("payara.log");
        int port = RedisServerProcess.freePort();

        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "DATABASE_TYPE", "postgresql",
                "DATABASE_HOST", "127.0.0.1",
                "DATABASE_PORT", "5432",
                "DATABASE_USER", "postgres",
                "DATABASE_SCHEMA", DATABASE,
                "REDIS_HOST", "127.0.0.1",
                "REDIS_PORT", String.valueOf(redis.port()),
                "REDIS_PASSWORD", PASSWORD));
        // Named sources and a replica, as Kubernetes users set them; the shared server stands in for the replica.
        environment.putAll(Map.of(
                "DATABASE_SOURCES", "reports,legacy-crm",
                "DATABASE_SOURCES_REPORTS_HOST", "localhost",
                "DATABASE_SOURCES_REPORTS_SCHEMA", REPORTS,
                "DATABASE_SOURCES_LEGACY_CRM_TYPE", "mysql",
                "DATABASE_SOURCES_LEGACY_CRM_HOST", "127.0.0.1",
                "DATABASE_SOURCES_LEGACY_CRM_SCHEMA", LEGACY,
                "DATABASE_REPLICA_HOST", "localhost",
                "DATABASE_REPLICA_POOL_SIZE", "2"));
        payara = startPayara(war, port, environment, log);
        HttpResponse<String> ready = awaitReady(port);
        String serverLog = Files.readString(log, StandardCharsets.UTF_8);

        assertTrue(ready != null && ready.statusCode() == 200, "/health/ready answers 200; last answer "
                + (ready == null ? "(none)" : ready.statusCode() + " " + ready.body()) + "; log:\n" + serverLog);
        String health = ready.body();
        assertTrue(hasData(health, "target", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE),
                "the database check reports DATABASE_HOST, DATABASE_PORT and DATABASE_SCHEMA: " + health);
        assertTrue(hasData(health, "address", "127.0.0.1:" + redis.port()),
                "the redis check reports REDIS_HOST and REDIS_PORT (the private server, which needs REDIS_PASSWORD): "
                        + health);
        assertFalse(health.contains(PASSWORD), "REDIS_PASSWORD's value is not in the health output");
        assertTrue(hasData(health, "reports.target", "jdbc:postgresql://localhost:5432/" + REPORTS)
                && hasData(health, "reports.status", "UP"), "DATABASE_SOURCES_REPORTS_* configure the source"
                + " reports: " + health);
        assertTrue(hasData(health, "legacy-crm.status", "UP") && health.contains("\"legacy-crm.target\":"
                + "\"jdbc:mysql://127.0.0.1:3306/" + LEGACY), "DATABASE_SOURCES_LEGACY_CRM_* configure the MySQL"
                + " source legacy-crm: " + health);
        assertTrue(hasData(health, "replica.target", "jdbc:postgresql://localhost:5432/" + DATABASE)
                && hasData(health, "replica.status", "UP"), "DATABASE_REPLICA_HOST configures the replica: " + health);
        assertTrue(serverLog.contains("dblayer: Redis at 127.0.0.1:" + redis.port() + " answered PING"),
                "the log shows the startup PING to the private server");
        assertFalse(serverLog.contains(PASSWORD), "REDIS_PASSWORD's value is not in the server's log");
        try (Connection connection = LocalDatabases.connect(DatabaseType.POSTGRESQL, DATABASE);
                ResultSet tables = connection.getMetaData().getTables(null, null, "dbl_item", null)) {
            assertTrue(tables.next(), "the unit's table dbl_item was created in " + DATABASE);
        }
        try (Connection connection = LocalDatabases.connect(DatabaseType.POSTGRESQL, REPORTS);
                ResultSet tables = connection.getMetaData().getTables(null, null, "dbl_item", null)) {
            assertTrue(tables.next(), "the source reports deployed its unit in " + REPORTS);
        }
    }
}
