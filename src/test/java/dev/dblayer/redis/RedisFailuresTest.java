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
}
