package dev.dblayer.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.dblayer.internal.SettingsReader;

class ShutdownDrainTest {

    /** A clock that moves only when the wait sleeps. */
    private static final class FakeTime implements ShutdownDrain.Sleeper {
        long nanos;

        @Override
        public void sleep(Duration duration) {
            nanos += duration.toNanos();
        }
    }

    private static Duration read(Map<String, String> values) {
        return ShutdownDrain.readTimeout(SettingsReader.of(values));
    }

    @Test
    void defaultsToTwentySeconds() {
        assertEquals(Duration.ofSeconds(20), read(Map.of()), "unset, the wait is at most 20 s");
    }

    @Test
    void acceptsZeroAndTheMaximum() {
        assertEquals(Duration.ZERO, read(Map.of(ShutdownDrain.TIMEOUT, "0s")), "0s: no wait");
        assertEquals(Duration.ofMinutes(10), read(Map.of(ShutdownDrain.TIMEOUT, "10m")), "10m is allowed");
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"11m", "1h", "-1s", "soon", "1.5s"})
    void refusesValuesOutOfRangeOrMalformedNamingKeyAndValue(String value) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of(ShutdownDrain.TIMEOUT, value)), value + " is not a valid wait");
        assertTrue(error.getMessage().startsWith(ShutdownDrain.TIMEOUT + " must be a duration of "),
                "the message names the key and what is allowed: " + error.getMessage());
        assertTrue(error.getMessage().contains("\"" + value + "\""), "the message shows the value: " + error.getMessage());
    }

    @Test
    void tooLongAWaitIsRefusedWithTheDocumentedMessage() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of(ShutdownDrain.TIMEOUT, "1h")), "an hour is more than the 10m allowed");
        assertEquals("database.shutdown.timeout must be a duration of at most 600s but was \"1h\"", error.getMessage(),
                "the message of docs/configuration.md");
    }

    @Test
    void returnsAtOnceWhenNothingIsInFlight() throws InterruptedException {
        FakeTime time = new FakeTime();
        ShutdownDrain.Outcome outcome = ShutdownDrain.await(() -> new ShutdownDrain.Work(0, 0),
                Duration.ofSeconds(20), () -> time.nanos, time);
        assertTrue(outcome.left().none(), "nothing is left");
        assertEquals(Duration.ZERO, outcome.waited(), "no time passes when nothing is in flight");
    }

    @Test
    void waitsUntilTransactionsAndConnectionsAreAllDone() throws InterruptedException {
        FakeTime time = new FakeTime();
        Deque<ShutdownDrain.Work> counts = new ArrayDeque<>(List.of(new ShutdownDrain.Work(2, 2),
                new ShutdownDrain.Work(1, 1), new ShutdownDrain.Work(1, 0), new ShutdownDrain.Work(0, 0)));
        ShutdownDrain.Outcome outcome = ShutdownDrain.await(counts::pop, Duration.ofSeconds(20), () -> time.nanos, time);
        assertTrue(outcome.left().none(), "the wait ends when the last transaction has ended: " + outcome);
        assertEquals(ShutdownDrain.POLL.multipliedBy(3), outcome.waited(),
                "a transaction without a connection is still waited for: three polls");
    }

    @Test
    void givesUpAtTheTimeoutAndSaysWhatIsLeft() throws InterruptedException {
        FakeTime time = new FakeTime();
        ShutdownDrain.Outcome outcome = ShutdownDrain.await(() -> new ShutdownDrain.Work(1, 1),
                Duration.ofMillis(50), () -> time.nanos, time);
        assertEquals(new ShutdownDrain.Work(1, 1), outcome.left(), "the work still in flight is reported");
        assertEquals(Duration.ofMillis(50), outcome.waited(), "the wait stops exactly at the timeout, not a poll later");
        assertEquals("1 transaction running and 1 connection in use", outcome.left().toString(),
                "the log line's words");
    }

    @Test
    void zeroTimeoutDoesNotWait() throws InterruptedException {
        FakeTime time = new FakeTime();
        ShutdownDrain.Outcome outcome = ShutdownDrain.await(() -> new ShutdownDrain.Work(3, 0),
                Duration.ZERO, () -> time.nanos, time);
        assertEquals(Duration.ZERO, outcome.waited(), "0s closes at once, as before this setting");
    }
}
