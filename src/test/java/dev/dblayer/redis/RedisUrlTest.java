package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class RedisUrlTest {

    @Test
    void parsesAFullUrl() {
        assertEquals(new RedisUrl("cache", 6380, Optional.of("alice"), Optional.of("pw"), OptionalInt.of(4), false),
                RedisUrl.parse("redis.url", "redis://alice:pw@cache:6380/4"), "every part of the URL");
    }

    @Test
    void defaultsThePortAndLeavesOutMissingParts() {
        assertEquals(new RedisUrl("cache", 6379, Optional.empty(), Optional.empty(), OptionalInt.empty(), true),
                RedisUrl.parse("redis.url", "rediss://cache/"), "port 6379 and nothing else");
    }

    @Test
    void readsAPasswordWithoutUserAndAUserWithoutPassword() {
        RedisUrl passwordOnly = RedisUrl.parse("redis.url", "redis://:secret@cache");
        assertEquals(Optional.empty(), passwordOnly.user(), "\":secret@\" has no user");
        assertEquals(Optional.of("secret"), passwordOnly.password(), "\":secret@\" is a password");
        RedisUrl userOnly = RedisUrl.parse("redis.url", "redis://alice@cache");
        assertEquals(Optional.of("alice"), userOnly.user(), "\"alice@\" is a user");
        assertEquals(Optional.empty(), userOnly.password(), "\"alice@\" has no password");
    }

    @Test
    void decodesPercentEscapesAndKeepsPlusSigns() {
        assertEquals(Optional.of("a:b@c+d"), RedisUrl.parse("redis.url", "redis://u:a%3Ab%40c+d@cache").password(),
                "percent escapes decoded, + kept");
    }

    @Test
    void parsesAnIpv6Host() {
        assertEquals("[::1]", RedisUrl.parse("redis.url", "redis://[::1]:6379").host(), "bracketed IPv6 host");
    }

    @Test
    void rejectsABadEscapeWithoutShowingThePassword() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RedisUrl.parse("redis.url", "redis://u:top%zzsecret@cache"), "%zz is no escape");
        assertFalse(error.getMessage().contains("secret"), "message must not contain the password: "
                + error.getMessage());
    }

    @Test
    void redactsEverythingBeforeTheLastAt() {
        assertEquals("redis://***@cache:6379", RedisUrl.redact("redis://u:p@ss/w@rd@cache:6379"),
                "user info up to the last @ hidden");
        assertEquals("redis://cache:6379", RedisUrl.redact("redis://cache:6379"), "nothing to hide");
        assertEquals("***@cache", RedisUrl.redact("u:secret@cache"), "hidden without a scheme too");
    }
}
