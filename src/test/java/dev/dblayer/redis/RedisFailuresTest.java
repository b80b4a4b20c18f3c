package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.redis.RedisFailures.Kind;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

class RedisFailuresTest {

    private static final String SECRET = "never-show-me";
    private static final RedisSettings SETTINGS = RedisSettings.read(SettingsReader.of(Map.of(
            "redis.host", "cache.internal", "redis.port", "6390", "redis.password", SECRET)));

    private static final Throwable READ_TIMEOUT =
            new JedisConnectionException(new SocketTimeoutException("Read timed out"));
    private static final Throwable CONNECT_TIMEOUT = new JedisConnectionException("Failed to connect",
            new SocketTimeoutException("Connect timed out"));
    private static final Throwable WRONGPASS = new JedisAccessControlException(
            "WRONGPASS invalid username-password pair or user is disabled.");
    private static final Throwable NOAUTH = new JedisDataException("NOAUTH Authentication required.");
    private static final Throwable REFUSED =
            new JedisConnectionException("Failed to connect", new ConnectException("Connection refused"));
    private static final Throwable BAD_DB = new JedisDataException("ERR DB index is out of range");

    @Test
    void classifiesSocketTimeoutsAsTimeout() {
        assertEquals(Kind.TIMEOUT, RedisFailures.classify(READ_TIMEOUT), "read timeout");
        assertEquals(Kind.TIMEOUT, RedisFailures.classify(CONNECT_TIMEOUT), "connect timeout");
    }

    @Test
    void classifiesRefusedCredentialsAsAuthentication() {
        assertEquals(Kind.AUTHENTICATION, RedisFailures.classify(WRONGPASS), "WRONGPASS");
        assertEquals(Kind.AUTHENTICATION, RedisFailures.classify(NOAUTH), "NOAUTH");
        assertEquals(Kind.AUTHENTICATION, RedisFailures.classify(new JedisConnectionException(
                new JedisDataException("ERR invalid username-password pair"))), "wrapped, older wording");
        assertEquals(Kind.AUTHENTICATION, RedisFailures.classify(new JedisDataException(
                "ERR AUTH <password> called without any password configured for the default user.")),
                "a password sent to a server without one");
    }

    @Test
    void classifiesEverythingElseAsOther() {
        assertEquals(Kind.OTHER, RedisFailures.classify(REFUSED), "connection refused");
        assertEquals(Kind.OTHER, RedisFailures.classify(BAD_DB), "bad database index");
    }

    @Test
    void givesEachKindItsOwnMessageNamingAddressAndSetting() {
        String timeout = RedisFailures.message(SETTINGS, READ_TIMEOUT);
        String auth = RedisFailures.message(SETTINGS, WRONGPASS);
        String other = RedisFailures.message(SETTINGS, REFUSED);
        for (String message : new String[] {timeout, auth, other}) {
            assertTrue(message.contains("cache.internal:6390"), "message names host:port: " + message);
            assertFalse(message.contains(SECRET), "message must not contain the password: " + message);
        }
        assertTrue(timeout.contains("redis.timeout") && timeout.contains("5s"), "timeout names the setting: " + timeout);
        assertTrue(auth.contains("redis.password") && auth.contains("redis.username"),
                "auth failure names the credentials settings: " + auth);
        assertTrue(other.contains("redis.host") && other.contains("Connection refused"),
                "other failure names the setting and the cause: " + other);
        assertNotEquals(timeout.substring(0, 40), auth.substring(0, 40), "different messages");
    }

    @Test
    void pointsAnOutOfRangeDatabaseAtTheDatabaseSetting() {
        String message = RedisFailures.message(SETTINGS, BAD_DB);
        assertTrue(message.contains("redis.database") && message.contains("DB index is out of range"),
                "message names redis.database and the server's reply: " + message);
    }

    @Test
    void pointsSentinelModeAtTheSentinelSettingsWithoutEitherPassword() {
        String sentinelSecret = "canary-sentinel-pw-4f1c";
        RedisSettings sentinel = RedisSettings.read(SettingsReader.of(Map.of(
                "redis.sentinel.master", "mymaster", "redis.sentinel.nodes", "s1.internal:26379,s2.internal:26379",
                "redis.sentinel.password", sentinelSecret, "redis.password", SECRET)));
        String timeout = RedisFailures.message(sentinel, READ_TIMEOUT);
        String auth = RedisFailures.message(sentinel, WRONGPASS);
        String other = RedisFailures.message(sentinel, new JedisConnectionException(
                "All sentinels down, cannot determine where is mymaster master is running..."));
        for (String message : new String[] {timeout, auth, other}) {
            assertTrue(message.contains("mymaster via sentinels s1.internal:26379,s2.internal:26379"),
                    "message names the master and the sentinels: " + message);
            assertFalse(message.contains("redis.host") || message.contains("redis.port"),
                    "message does not point at redis.host/redis.port, which Sentinel mode refuses: " + message);
            assertFalse(message.contains(SECRET) || message.contains(sentinelSecret),
                    "message contains neither password: " + message);
        }
        assertTrue(timeout.contains("redis.sentinel.nodes") && timeout.contains("redis.sentinel.master"),
                "timeout names the sentinel settings: " + timeout);
        assertTrue(other.contains("redis.sentinel.nodes") && other.contains("redis.ssl") && other.contains("All sentinels down"),
                "other failure names the sentinel settings, TLS and the cause: " + other);
        assertTrue(auth.contains("redis.password") && auth.contains("redis.sentinel.password")
                && !auth.contains("redis.url"), "auth failure names both credentials, not redis.url: " + auth);
    }

    @Test
    void pointsClusterModeAtTheSeedsAndTheAnnouncedAddresses() {
        RedisSettings cluster = RedisSettings.read(SettingsReader.of(Map.of(
                "redis.cluster.nodes", "c1.internal:6379,c2.internal:6379", "redis.password", SECRET)));
        String timeout = RedisFailures.message(cluster, CONNECT_TIMEOUT);
        String auth = RedisFailures.message(cluster, NOAUTH);
        String other = RedisFailures.message(cluster, REFUSED);
        for (String message : new String[] {timeout, auth, other}) {
            assertTrue(message.contains("cluster c1.internal:6379,c2.internal:6379"), "message names the seeds: " + message);
            assertFalse(message.contains("redis.host") || message.contains("redis.port") || message.contains("redis.url"),
                    "message does not point at redis.host/redis.port/redis.url, which Cluster mode refuses: " + message);
            assertFalse(message.contains(SECRET), "message must not contain the password: " + message);
        }
        assertTrue(timeout.contains("redis.cluster.nodes") && timeout.contains("CLUSTER NODES"),
                "timeout names the seeds and the announced addresses: " + timeout);
        assertTrue(other.contains("redis.cluster.nodes") && other.contains("redis.ssl"),
                "other failure names the seeds and TLS: " + other);
        assertTrue(auth.contains("redis.password"), "auth failure names the credentials: " + auth);
    }
}
