package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.redis.RedisSettings.PoolSettings;
import dev.dblayer.redis.RedisSettings.TlsSettings;
import dev.dblayer.testsupport.SettingsRefusals;

class RedisSettingsTest {

    private static final String SECRET = "pa55-Wörd-secret";

    private static RedisSettings read(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return RedisSettings.read(SettingsReader.of(values));
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        RedisSettings settings = read();
        assertEquals("localhost", settings.host(), "default host");
        assertEquals(6379, settings.port(), "default port");
        assertEquals(Optional.empty(), settings.username(), "no ACL user by default");
        assertEquals("", settings.password(), "no password by default");
        assertEquals(0, settings.database(), "database 0 by default");
        assertEquals(Duration.ofSeconds(5), settings.timeout(), "5 s timeout by default");
        assertEquals(100, settings.pool().maxConnections(), "100 connections by default");
        assertEquals(Duration.ofSeconds(20), settings.pool().poolTimeout(), "20 s pool wait by default");
        assertEquals(Duration.ofSeconds(30), settings.pool().healthCheckInterval(), "30 s idle check by default");
        assertTrue(settings.keepalive(), "keepalive on by default");
        assertFalse(settings.tls().enabled(), "TLS off by default");
        assertEquals("PKCS12", settings.tls().trustStoreType(), "PKCS12 trust store by default");
        assertFalse(settings.failFast(), "fail-fast off by default");
        assertTrue(settings.required(), "required by default");
    }

    @Test
    void readsEverySeparateSetting() {
        RedisSettings settings = read("redis.host", "cache.internal", "redis.port", "6380", "redis.username",
                "alice", "redis.password", SECRET, "redis.database", "3", "redis.timeout", "1500ms",
                "redis.max-connections", "7", "redis.pool-timeout", "2s", "redis.keepalive", "false",
                "redis.health-check-interval", "1m", "redis.ssl", "true", "redis.ssl.trust-store", "/tmp/t.jks",
                "redis.ssl.trust-store-password", SECRET, "redis.ssl.trust-store-type", "JKS",
                "redis.fail-fast", "true", "redis.required", "false");
        assertEquals("cache.internal:6380", settings.address(), "host and port as given");
        assertEquals(Optional.of("alice"), settings.username(), "ACL user as given");
        assertEquals(SECRET, settings.password(), "password as given");
        assertEquals(3, settings.database(), "database as given");
        assertEquals(Duration.ofMillis(1500), settings.timeout(), "timeout as given");
        assertEquals(new RedisSettings.PoolSettings(7, Duration.ofSeconds(2), Duration.ofMinutes(1)),
                settings.pool(), "pool settings as given");
        assertFalse(settings.keepalive(), "keepalive as given");
        assertEquals(new RedisSettings.TlsSettings(true, Optional.of("/tmp/t.jks"), SECRET, "JKS"), settings.tls(),
                "TLS settings as given");
        assertTrue(settings.failFast() && !settings.required(), "fail-fast and required as given");
    }

    @Test
    void acceptsADatabaseIndexAboveFifteenForTheServerToJudge() {
        assertEquals(64, read("redis.database", "64").database(), "a server may have more than 16 databases");
    }

    @Test
    void toStringNeverShowsPasswords() {
        String text = read("redis.password", SECRET, "redis.ssl", "true", "redis.ssl.trust-store", "/x.p12",
                "redis.ssl.trust-store-password", SECRET).toString();
        assertFalse(text.contains(SECRET), "toString must not contain a password: " + text);
        assertTrue(text.contains("password=(set)"), "toString says a password is set: " + text);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("redis.port", "0"),
                Arguments.of("redis.port", "65536"),
                Arguments.of("redis.port", "http"),
                Arguments.of("redis.host", "bad host"),
                Arguments.of("redis.host", "cache:6379"),
                Arguments.of("redis.database", "-1"),
                Arguments.of("redis.database", "one"),
                Arguments.of("redis.timeout", "0"),
                Arguments.of("redis.timeout", "soon"),
                Arguments.of("redis.timeout", "30d"),
                Arguments.of("redis.max-connections", "0"),
                Arguments.of("redis.pool-timeout", "-5s"),
                Arguments.of("redis.health-check-interval", "10ms"),
                Arguments.of("redis.keepalive", "yes"),
                Arguments.of("redis.ssl", "on"),
                Arguments.of("redis.ssl.trust-store-type", "PKCS 12"),
                Arguments.of("redis.fail-fast", "1"),
                Arguments.of("redis.required", "maybe"),
                Arguments.of("redis.url", "http://localhost:6379"),
                Arguments.of("redis.url", "redis://localhost:99999"),
                Arguments.of("redis.url", "redis://localhost/db"),
                Arguments.of("redis.url", "redis://localhost/0?ssl=true"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void rejectsABadValueNamingKeyAndValue(String key, String value) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read(key, value, "redis.password", SECRET), key + "=" + value + " must be rejected");
        assertTrue(error.getMessage().contains(key), "message names the key: " + error.getMessage());
        assertTrue(error.getMessage().contains(value), "message names the value: " + error.getMessage());
        assertFalse(error.getMessage().contains(SECRET), "message must not contain the password");
    }

    @Test
    void takesEverythingFromTheUrl() {
        RedisSettings settings = read("redis.url", "rediss://alice:p%40ss@cache.internal:6390/2");
        assertEquals("cache.internal:6390", settings.address(), "host and port from the URL");
        assertEquals(Optional.of("alice"), settings.username(), "user from the URL");
        assertEquals("p@ss", settings.password(), "percent-decoded password from the URL");
        assertEquals(2, settings.database(), "database from the URL");
        assertTrue(settings.tls().enabled(), "rediss:// turns TLS on");
    }

    @Test
    void takesThePasswordFromItsOwnSettingWhenTheUrlHasNone() {
        RedisSettings settings = read("redis.url", "redis://cache:6379", "redis.password", SECRET);
        assertEquals(SECRET, settings.password(), "redis.password applies to a URL without password");
    }

    @Test
    void rejectsHostOrPortBesideTheUrl() {
        for (String key : new String[] {"redis.host", "redis.port"}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> read("redis.url", "redis://cache:6379", key, "6379"), key + " conflicts with redis.url");
            assertTrue(error.getMessage().contains(key) && error.getMessage().contains("redis.url"),
                    "message names both settings: " + error.getMessage());
        }
    }

    @Test
    void rejectsAPasswordGivenTwice() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("redis.url", "redis://:" + SECRET + "@cache", "redis.password", SECRET),
                "a password in the URL and in redis.password is ambiguous");
        assertFalse(error.getMessage().contains(SECRET), "message must not contain the password");
    }

    @Test
    void rejectsSslSettingThatContradictsTheScheme() {
        assertThrows(IllegalArgumentException.class, () -> read("redis.url", "rediss://cache", "redis.ssl", "false"),
                "redis.ssl=false contradicts rediss://");
    }

    @Test
    void rejectsATrustStoreWithoutTls() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("redis.ssl.trust-store", "/x.p12"), "a trust store without TLS is a mistake");
        assertTrue(error.getMessage().contains("redis.ssl"), "message says to set redis.ssl: " + error.getMessage());
    }

    @Test
    void rejectsAMalformedUrlWithoutShowingItsPassword() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read("redis.url", "redis://bob:" + SECRET + "@cache host:6379"), "a space makes it malformed");
        assertTrue(error.getMessage().contains("redis.url"), "message names the key: " + error.getMessage());
        assertTrue(error.getMessage().contains("cache host:6379"), "message shows the host part: "
                + error.getMessage());
        assertFalse(error.getMessage().contains(SECRET), "message must not contain the password: "
                + error.getMessage());
        assertFalse(error.getMessage().contains("bob"), "message hides the whole user info: " + error.getMessage());
    }

    /** The defaults, as read; the cases below change one component and build the record directly. */
    private static final RedisSettings DEFAULTS = read();
    private static final PoolSettings POOL = DEFAULTS.pool();
    private static final TlsSettings TLS = DEFAULTS.tls();

    private static RedisSettings built(String host, int port, int database, Duration timeout) {
        RedisSettings d = DEFAULTS;
        return new RedisSettings(host, port, d.username(), SECRET, database, timeout, d.pool(), d.keepalive(),
                d.tls(), d.failFast(), d.required(), d.topology());
    }

    static Stream<Arguments> badValuesBuiltDirectly() {
        Duration timeout = DEFAULTS.timeout();
        return Stream.of(
                Arguments.of("redis.host", "bad host", (Executable) () -> built("bad host", 6379, 0, timeout)),
                Arguments.of("redis.host", "cache:6379", (Executable) () -> built("cache:6379", 6379, 0, timeout)),
                Arguments.of("redis.port", "0", (Executable) () -> built("localhost", 0, 0, timeout)),
                Arguments.of("redis.database", "-1", (Executable) () -> built("localhost", 6379, -1, timeout)),
                Arguments.of("redis.timeout", "3000000s",
                        (Executable) () -> built("localhost", 6379, 0, Duration.ofSeconds(3_000_000))),
                Arguments.of("redis.max-connections", "0",
                        (Executable) () -> new PoolSettings(0, POOL.poolTimeout(), POOL.healthCheckInterval())),
                Arguments.of("redis.pool-timeout", "3000000s", (Executable) () -> new PoolSettings(
                        POOL.maxConnections(), Duration.ofSeconds(3_000_000), POOL.healthCheckInterval())),
                Arguments.of("redis.health-check-interval", "10ms", (Executable) () -> new PoolSettings(
                        POOL.maxConnections(), POOL.poolTimeout(), Duration.ofMillis(10))),
                Arguments.of("redis.ssl.trust-store-type", "PKCS 12",
                        (Executable) () -> new TlsSettings(false, Optional.empty(), SECRET, "PKCS 12")));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValuesBuiltDirectly")
    void refusesABadValueWhenBuiltDirectlyWithTheMessageReadGives(String key, String value, Executable build) {
        SettingsRefusals.assertSameRefusal(key, value, SECRET, build,
                () -> read(key, value, "redis.password", SECRET));
    }

    @Test
    void refusesATrustStoreWithoutTlsWhenBuiltDirectly() {
        IllegalArgumentException built = assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings(false, Optional.of("/x.p12"), SECRET, TLS.trustStoreType()),
                "the constructor refuses a trust store without TLS");
        IllegalArgumentException read = assertThrows(IllegalArgumentException.class,
                () -> read("redis.ssl.trust-store", "/x.p12"), "read() refuses a trust store without TLS");
        assertTrue(built.getMessage().startsWith("redis.ssl.trust-store is set but TLS is off"),
                "the message names the key: " + built.getMessage());
        assertEquals(built.getMessage(), read.getMessage(), "read() gives the constructor's message");
    }

    @Test
    void buildsDirectlyWhatReadWouldBuild() {
        assertEquals(read("redis.host", "::1", "redis.password", SECRET), built("::1", 6379, 0, DEFAULTS.timeout()),
                "the same values give equal records");
        assertEquals("redis://[::1]:6379/0", built("::1", 6379, 0, DEFAULTS.timeout()).describe(),
                "an IPv6 host is bracketed where the address is written");
        assertEquals("[::1]:6379", read("redis.url", "redis://[::1]:6379").address(),
                "a bracketed host from the URL is bracketed once");
    }
}
