package dev.dblayer.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** What the settings tests assert of a value refused both by a record's constructor and by read(). */
public final class SettingsRefusals {

    private SettingsRefusals() {
    }

    /**
     * {@code build} and {@code read} both refuse {@code key=value} with the same message, which names
     * the key, quotes the value and never shows {@code secret}.
     */
    public static void assertSameRefusal(String key, String value, String secret, Executable build, Executable read) {
        IllegalArgumentException built = assertThrows(IllegalArgumentException.class, build,
                "the constructor refuses " + key + "=" + value);
        assertTrue(built.getMessage().startsWith(key + " must be "), "the message names the key: "
                + built.getMessage());
        assertTrue(built.getMessage().endsWith(" but was \"" + value + "\""), "the message quotes the value: "
                + built.getMessage());
        assertFalse(built.getMessage().contains(secret), "the message hides the password: " + built.getMessage());
        IllegalArgumentException readError = assertThrows(IllegalArgumentException.class, read,
                "read() refuses " + key + "=" + value);
        assertEquals(built.getMessage(), readError.getMessage(), "read() gives the constructor's message");
    }
}
