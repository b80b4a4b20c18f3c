package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.testsupport.LogCapture;
import dev.dblayer.testsupport.RedisServerProcess;
import dev.dblayer.testsupport.SelfSignedCertificate;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The client, its settings and the startup PING against private redis-server instances: password,
 * ACL user, TLS, database index, timeout, refused connection and a server restart.
 */
class RedisConnectionIT {

    private static final String PASSWORD = "it-secret-" + Long.toHexString(System.nanoTime());

    private LogCapture capture;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void captureLog() {
        capture = LogCapture.on(Redis.class.getName());
    }

    @AfterEach
    void cleanUp() throws Exception {
        capture.close();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private RedisServerProcess server(String... args) {
        RedisServerProcess server = RedisServerProcess.start(args);
        toClose.add(server);
        return server;
    }

    private static RedisSettings settings(int port, String... keysAndValues) {
        Map<String, String> values = new HashMap<>(Map.of("redis.host", "127.0.0.1", "redis.port",
                String.valueOf(port), "redis.timeout", "2s", "redis.pool-timeout", "2s"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return RedisSettings.read(SettingsReader.of(values));
    }

    /** Starts the owner bean as the container would, without CDI. */
    private Redis started(RedisSettings settings) {
        Redis redis = new Redis();
        toClose.add(redis::close);
        redis.start(settings);
        return redis;
    }

    private IllegalStateException failedStart(RedisSettings settings) {
        Redis redis = new Redis();
        toClose.add(redis::close);
        return assertThrows(IllegalStateException.class, () -> redis.start(settings),
                "redis.fail-fast=true must fail the start when PING fails");
    }

    private List<String> warnings() {
        return capture.messages(Level.WARNING);
    }

    @Test
    void connectsWithTheRightPassword() {
        RedisServerProcess server = server("--requirepass", PASSWORD);
        UnifiedJedis client = started(settings(server.port(), "redis.password", PASSWORD)).client();
        client.set("k", "v");
        assertEquals("v", client.get("k"), "a command on a password-protected server works");
        assertTrue(warnings().isEmpty(), "no warning when PING succeeds: " + warnings());
    }

    @Test
    void failsTheStartWithAnAuthenticationMessageOnAWrongPasswordWhenFailFast() {
        RedisServerProcess server = server("--requirepass", PASSWORD);
        IllegalStateException error = failedStart(settings(server.port(), "redis.password", "wrong-" + PASSWORD,
                "redis.fail-fast", "true"));
        assertEquals(RedisFailures.Kind.AUTHENTICATION, RedisFailures.classify(error.getCause()),
                "a wrong password is an authentication failure: " + error.getMessage());
        assertTrue(error.getMessage().contains("refused the credentials")
                && error.getMessage().contains("127.0.0.1:" + server.port())
                && error.getMessage().contains("redis.password"), "message: " + error.getMessage());
        assertFalse(error.getMessage().contains(PASSWORD), "message must not contain the password");
    }

    @Test
    void logsAMissingPasswordAsAuthenticationFailureAndKeepsRunning() {
        RedisServerProcess server = server("--requirepass", PASSWORD);
        Redis redis = assertDoesNotThrow(() -> started(settings(server.port())),
                "without redis.fail-fast the application starts");
        assertEquals(1, warnings().size(), "one warning: " + warnings());
        assertTrue(warnings().get(0).contains("refused the credentials"), "auth message: " + warnings());
        assertTrue(redis.client() != null, "the client is still there for later");
    }

    @Test
    @SuppressWarnings("deprecation") // sendCommand: the client has no ACL WHOAMI method
    void connectsAsAnAclUserAndRejectsAnUnknownOne() {
        RedisServerProcess server = server("--user", "alice", "on", ">" + PASSWORD, "~*", "+@all");
        UnifiedJedis client = started(settings(server.port(), "redis.username", "alice", "redis.password",
                PASSWORD)).client();
        assertEquals("alice", SafeEncoder.encode((byte[]) client.sendCommand(Protocol.Command.ACL, "WHOAMI")),
                "connected as the ACL user");

        IllegalStateException error = failedStart(settings(server.port(), "redis.username", "mallory",
                "redis.password", PASSWORD, "redis.fail-fast", "true"));
        assertTrue(error.getMessage().contains("refused the credentials of user mallory"),
                "unknown user is an authentication failure: " + error.getMessage());
        assertFalse(error.getMessage().contains(PASSWORD), "message must not contain the password");
    }

    @Test
    void reportsAServerThatNeverAnswersAsTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // The kernel completes the TCP handshake from the backlog; nothing ever answers.
            IllegalStateException error = failedStart(settings(silent.getLocalPort(), "redis.timeout", "300ms",
                    "redis.fail-fast", "true"));
            assertEquals(RedisFailures.Kind.TIMEOUT, RedisFailures.classify(error.getCause()),
                    "no answer is a timeout: " + error.getMessage());
            assertTrue(error.getMessage().contains("did not answer the startup PING within 300ms (redis.timeout)"),
                    "timeout message: " + error.getMessage());
        }
    }

    @Test
    void reportsARefusedConnectionAsOtherFailureAndKeepsRunning() {
        int port = RedisServerProcess.freePort();
        started(settings(port));
        assertEquals(1, warnings().size(), "one warning: " + warnings());
        assertTrue(warnings().get(0).contains("127.0.0.1:" + port + " failed the startup PING")
                && warnings().get(0).contains("redis.port"), "other-failure message: " + warnings());
    }

    @Test
    void connectsOverTlsWithAPrivateTrustStore(@TempDir Path dir) {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        RedisServerProcess server = RedisServerProcess.startTls(cert.certificate(), cert.key());
        toClose.add(server);
        UnifiedJedis client = started(settings(server.port(), "redis.ssl", "true", "redis.ssl.trust-store",
                cert.trustStore().toString(), "redis.ssl.trust-store-password", cert.trustStorePassword())).client();
        client.set("tls", "yes");
        assertEquals("yes", client.get("tls"), "commands work over TLS");
        assertTrue(warnings().isEmpty(), "PING over TLS succeeded: " + warnings());
    }

    @Test
    void plaintextSpokenToATlsPortFailsNamingRedisSsl(@TempDir Path dir) {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        RedisServerProcess server = RedisServerProcess.startTls(cert.certificate(), cert.key());
        toClose.add(server);
        IllegalStateException error = failedStart(settings(server.port(), "redis.fail-fast", "true"));
        assertTrue(error.getMessage().contains(RedisSettings.SSL), "the message points at redis.ssl: "
                + error.getMessage());
    }

    @Test
    void rejectsAnUntrustedTlsCertificate(@TempDir Path dir) {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        RedisServerProcess server = RedisServerProcess.startTls(cert.certificate(), cert.key());
        toClose.add(server);
        IllegalStateException error = failedStart(settings(server.port(), "redis.ssl", "true",
                "redis.fail-fast", "true"));
        assertEquals(RedisFailures.Kind.OTHER, RedisFailures.classify(error.getCause()),
                "the JVM's default trust does not know the private CA: " + error.getMessage());
    }

    @Test
    void rejectsAWrongTrustStorePasswordNamingTheSetting(@TempDir Path dir) {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RedisClients.create(settings(6379, "redis.ssl", "true", "redis.ssl.trust-store",
                        cert.trustStore().toString(), "redis.ssl.trust-store-password", "not-" + PASSWORD)),
                "a wrong trust store password is a bad setting");
        assertTrue(error.getMessage().contains("redis.ssl.trust-store-password"), "message: " + error.getMessage());
        assertFalse(error.getMessage().contains(PASSWORD), "message must not contain the password");
    }

    @Test
    void usesTheConfiguredDatabaseIndex() {
        RedisServerProcess server = server("--databases", "16");
        UnifiedJedis db5 = started(settings(server.port(), "redis.database", "5")).client();
        db5.set("where", "five");
        UnifiedJedis db0 = started(settings(server.port())).client();
        assertNull(db0.get("where"), "a key written in database 5 is not in database 0");
        assertEquals("five", db5.get("where"), "the key is in database 5");
    }

    @Test
    void reportsADatabaseIndexTheServerDoesNotHaveNamingTheSetting() {
        RedisServerProcess server = server("--databases", "4");
        IllegalStateException error = failedStart(settings(server.port(), "redis.database", "9",
                "redis.fail-fast", "true"));
        assertTrue(error.getMessage().contains("redis.database"), "message names redis.database: "
                + error.getMessage());
    }

    @Test
    void firstCommandAfterAServerRestartSucceedsWithTheSameClient() throws InterruptedException {
        RedisServerProcess server = server();
        UnifiedJedis client = started(settings(server.port())).client();
        // Several pooled connections, all of which go stale with the restart.
        for (int i = 0; i < 5; i++) {
            client.set("before:" + i, "x");
        }
        server.restart();
        // Let the pooled connections be idle long enough to be checked when borrowed.
        Thread.sleep(IdleCheckingConnectionFactory.ALIVE_BYPASS.toMillis() + 100);
        assertDoesNotThrow(() -> client.set("after", "restart"), "first command after the restart");
        assertEquals("restart", client.get("after"), "the client works on after the restart");
    }

    @Test
    void aFailedDeleteByPrefixLeavesNoUnreadRepliesOnThePooledConnection() {
        RedisServerProcess server = server("--user", "bob", "on", ">" + PASSWORD, "~*", "+@all", "-unlink");
        UnifiedJedis client = started(settings(server.port(), "redis.username", "bob", "redis.password", PASSWORD,
                "redis.max-connections", "1")).client();
        for (int i = 0; i < 20; i++) {
            client.set("p:" + i, "v" + i);
        }
        RedisKeys keys = new RedisKeys(client);
        JedisDataException error = assertThrows(JedisDataException.class, () -> keys.deleteByPrefix("p", 5),
                "UNLINK is not allowed for this user");
        assertTrue(error.getMessage().startsWith("NOPERM"), "the server's refusal is passed on: " + error.getMessage());
        // With one connection in the pool, a connection left with unread replies would answer this.
        assertEquals("v3", client.get("p:3"), "the next command gets its own reply");
    }

    @Test
    void setsTcpKeepaliveAsConfigured() throws Exception {
        RedisServerProcess server = server();
        UnifiedJedis on = started(settings(server.port())).client();
        on.ping();
        assertTrue(clientSockets(server.port()).contains("keepalive"),
                "redis.keepalive=true (default): the kernel runs a keepalive timer: " + clientSockets(server.port()));
        on.close();

        UnifiedJedis off = started(settings(server.port(), "redis.keepalive", "false")).client();
        off.ping();
        String sockets = clientSockets(server.port());
        assertFalse(sockets.isBlank(), "the pooled connection is open");
        assertFalse(sockets.contains("keepalive"), "redis.keepalive=false: no keepalive timer: " + sockets);
    }

    /** The client side of established TCP connections to {@code port}, with timers, as ss(8) shows them. */
    private static String clientSockets(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-tnoH", "state", "established", "( dport = :" + port + " )")
                .redirectErrorStream(true).start();
        String output = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, ss.waitFor(), "ss runs: " + output);
        return output;
    }

    @Test
    void closingTheOwnerClosesThePool() {
        RedisServerProcess server = server();
        Redis redis = started(settings(server.port()));
        RedisClient client = (RedisClient) redis.client();
        redis.close();
        assertTrue(client.getPool().isClosed(), "the pool is closed with the owner");
        assertThrows(IllegalStateException.class, redis::client, "no client after close");
    }
}
