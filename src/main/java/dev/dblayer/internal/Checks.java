package dev.dblayer.internal;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Internal: the checks the settings records run in their constructors, so that a value is valid
 * however it was built. Each failure is {@link SettingsReader#invalid}'s message, which names the
 * key, the value and what is allowed; the phrases for "what is allowed" live here once, and
 * {@link SettingsReader} uses them too.
 *
 * <p>A check returns its value, so that a compact constructor can normalise and check in one line.
 * Never pass a secret: the value goes into the message.
 */
public final class Checks {

    private Checks() {
    }

    /** {@code value}, which must not be null; the message names {@code key}. */
    public static <T> T given(String key, T value) {
        if (value == null) {
            throw new NullPointerException(key + " must not be null");
        }
        return value;
    }

    /** {@code value}, which must be from {@code min} to {@code max}, inclusive. */
    public static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw SettingsReader.invalid(key, value, wholeNumber(min, max));
        }
        return value;
    }

    /** {@code value}, which must be at least {@code min}. */
    public static Duration atLeast(String key, Duration value, Duration min) {
        if (given(key, value).compareTo(min) < 0) {
            throw SettingsReader.invalid(key, value, durationOfAtLeast(min));
        }
        return value;
    }

    /** {@code value}, which must be from {@code min} to {@code max}, inclusive. */
    public static Duration within(String key, Duration value, Duration min, Duration max) {
        atLeast(key, value, min);
        if (value.compareTo(max) > 0) {
            throw SettingsReader.invalid(key, value, "a duration of at most " + SettingsReader.format(max));
        }
        return value;
    }

    /** {@code value}, which must match {@code pattern}; {@code allowed} describes it in the message. */
    public static String matching(String key, String value, Pattern pattern, String allowed) {
        if (!pattern.matcher(given(key, value)).matches()) {
            throw SettingsReader.invalid(key, value, allowed);
        }
        return value;
    }

    static String wholeNumber(int min, int max) {
        return "a whole number from " + min + " to " + max;
    }

    static String durationOfAtLeast(Duration min) {
        return "a duration of at least " + SettingsReader.format(min) + " " + SettingsReader.DURATION_FORMS;
    }
}
