package dev.dblayer.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.dblayer.internal.SettingsReader;

class SnowflakeSettingsTest {

    private static SnowflakeSettings read(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return SnowflakeSettings.read(SettingsReader.of(values));
    }

    private static String refusal(String... keysAndValues) {
        return assertThrows(IllegalArgumentException.class, () -> read(keysAndValues),
                "refused: " + String.join(" ", keysAndValues)).getMessage();
    }

    @Test
    void defaultsAreTheOriginals() {
        SnowflakeSettings settings = read();
        assertFalse(settings.fixedNode(), "without ids the node leases one");
        assertEquals("fba:snowflake", settings.redisPrefix(), "prefix");
        assertEquals(Duration.ofSeconds(60), settings.nodeTtl(), "TTL");
        assertEquals(Duration.ofSeconds(30), settings.heartbeatInterval(), "heartbeat");
        assertEquals("fba:snowflake:nodes:3:17", settings.leaseKey(3, 17), "the original's lease key");
    }

    @Test
    void readsAFixedNodeId() {
        SnowflakeSettings settings = read(SnowflakeSettings.DATACENTER_ID, "31", SnowflakeSettings.WORKER_ID, "0");
        assertTrue(settings.fixedNode(), "both ids fix the node");
        assertEquals(OptionalInt.of(31), settings.datacenterId(), "datacenter");
        assertEquals(OptionalInt.of(0), settings.workerId(), "worker");
    }

    @Test
    void refusesOneIdWithoutTheOther() {
        String message = refusal(SnowflakeSettings.WORKER_ID, "3");
        assertTrue(message.contains(SnowflakeSettings.DATACENTER_ID) && message.contains(SnowflakeSettings.WORKER_ID),
                "the message names both keys: " + message);
        assertTrue(message.contains("\"3\""), "and the value: " + message);
        assertTrue(refusal(SnowflakeSettings.DATACENTER_ID, "0").contains("only " + SnowflakeSettings.DATACENTER_ID),
                "either way round");
    }

    @Test
    void refusesIdsOutOfRange() {
        assertEquals(SnowflakeSettings.DATACENTER_ID + " must be a whole number from 0 to 31 but was \"32\"",
                refusal(SnowflakeSettings.DATACENTER_ID, "32", SnowflakeSettings.WORKER_ID, "1"), "datacenter 32");
        assertEquals(SnowflakeSettings.WORKER_ID + " must be a whole number from 0 to 31 but was \"-1\"",
                refusal(SnowflakeSettings.DATACENTER_ID, "1", SnowflakeSettings.WORKER_ID, "-1"), "worker -1");
        assertTrue(refusal(SnowflakeSettings.WORKER_ID, "x", SnowflakeSettings.DATACENTER_ID, "1")
                .startsWith(SnowflakeSettings.WORKER_ID + " must be"), "not a number");
    }

    @Test
    void refusesAHeartbeatLongerThanHalfTheTtl() {
        assertEquals(SnowflakeSettings.HEARTBEAT_INTERVAL + " must be at most half of " + SnowflakeSettings.NODE_TTL
                + " (60s) but was \"31s\"", refusal(SnowflakeSettings.HEARTBEAT_INTERVAL, "31s"), "31 s of 60 s");
        assertTrue(refusal(SnowflakeSettings.NODE_TTL, "1s").startsWith(SnowflakeSettings.NODE_TTL + " must be"),
                "a TTL under 2 s");
        assertTrue(refusal(SnowflakeSettings.NODE_TTL, "soon").startsWith(SnowflakeSettings.NODE_TTL + " must be"),
                "a TTL that is no duration");
    }

    @Test
    void refusesAPrefixThatIsNoKeyPrefix() {
        assertTrue(refusal(SnowflakeSettings.REDIS_PREFIX, "fba snowflake").contains("\"fba snowflake\""),
                "a space");
        assertTrue(refusal(SnowflakeSettings.REDIS_PREFIX, "fba:*").startsWith(SnowflakeSettings.REDIS_PREFIX),
                "a glob character");
    }
}
