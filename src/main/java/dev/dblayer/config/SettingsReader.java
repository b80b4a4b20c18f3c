package dev.dblayer.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.Config;

/**
 * Reads and validates single settings from MicroProfile Config (or any key lookup), with error
 * messages that name the key, the offending value and what is allowed.
 *
 * <p>Internal to dblayer: the settings records of {@code dev.dblayer.db} and
 * {@code dev.dblayer.redis} use it once, at startup. Values of keys read with {@link #secret}
 * never appear in a message. Blank values count as unset, as in MicroProfile Config.
 *
 * <p>Durations are accepted as a whole number of seconds ({@code 30}), a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}) or ISO-8601 ({@code PT30S}).
 */
public final class SettingsReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final Function<String, Optional<String>> source;

    private SettingsReader(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /** A reader over MicroProfile Config, so that environment variables apply. */
    public static SettingsReader of(Config config) {
        return new SettingsReader(key -> config.getOptionalValue(key, String.class));
    }

    /** A reader over a plain map; for tests and for code that is not in a container. */
    public static SettingsReader of(Map<String, String> values) {
        return new SettingsReader(key -> Optional.ofNullable(values.get(key)));
    }

    /** Whether {@code key} has a non-blank value. */
    public boolean isSet(String key) {
        return raw(key).isPresent();
    }

    /** The trimmed value of {@code key}, if set. */
    public Optional<String> string(String key) {
        return raw(key);
    }

    /** The trimmed value of {@code key}, or {@code defaultValue}. */
    public String string(String key, String defaultValue) {
        return raw(key).orElse(defaultValue);
    }

    /** The value of {@code key} exactly as given (not trimmed), or empty; never put in messages. */
    public String secret(String key) {
        return source.apply(key).orElse("");
    }

    /** A value that must match {@code pattern}; {@code allowed} describes it in the message. */
    public String matching(String key, String defaultValue, Pattern pattern, String allowed) {
        String value = string(key, defaultValue);
        if (!pattern.matcher(value).matches()) {
            throw invalid(key, value, allowed);
        }
        return value;
    }

    /** An integer from {@code min} to {@code max}, inclusive. */
    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> value = raw(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String allowed = "a whole number from " + min + " to " + max;
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                throw invalid(key, value.get(), allowed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(key, value.get(), allowed);
        }
    }

    /** {@code true} or {@code false}, case-insensitive. */
    public boolean bool(String key, boolean defaultValue) {
        Optional<String> value = raw(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value.get(), "true or false");
        };
    }

    /** A duration of at least {@code min}; see the class documentation for the forms. */
    public Duration duration(String key, Duration defaultValue, Duration min) {
        Optional<String> value = raw(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String allowed = "a duration of at least " + format(min)
                + " (seconds as a number, or with a unit: 500ms, 30s, 5m, 1h, or ISO-8601 such as PT30S)";
        Duration parsed = parseDuration(value.get()).orElseThrow(() -> invalid(key, value.get(), allowed));
        if (parsed.compareTo(min) < 0) {
            throw invalid(key, value.get(), allowed);
        }
        return parsed;
    }

    /** A duration from {@code min} to {@code max}, inclusive; see the class documentation for the forms. */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Duration parsed = duration(key, defaultValue, min);
        if (parsed.compareTo(max) > 0) {
            throw invalid(key, raw(key).orElse(format(parsed)), "a duration of at most " + format(max));
        }
        return parsed;
    }

    /**
     * One of an enum's constants, written in lower case with {@code -} for {@code _}
     * ({@code DROP_AND_CREATE} is {@code drop-and-create}).
     */
    public <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
        Optional<String> value = raw(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (settingName(constant).equalsIgnoreCase(value.get())) {
                return constant;
            }
        }
        String allowed = "one of " + Arrays.stream(type.getEnumConstants())
                .map(SettingsReader::settingName)
                .collect(Collectors.joining(", ", "[", "]"));
        throw invalid(key, value.get(), allowed);
    }

    /** The form in which an enum constant is written in configuration. */
    public static String settingName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The error for a bad value: names the key, the value and what is allowed. */
    public static IllegalArgumentException invalid(String key, String value, String allowed) {
        return new IllegalArgumentException(key + " must be " + allowed + " but was \"" + value + "\"");
    }

    /** Writes a duration the way this class reads it: {@code 30s}, {@code 500ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    static Optional<Duration> parseDuration(String text) {
        try {
            Optional<Duration> parsed = parseUnchecked(text);
            // The pools take milliseconds: a duration whose milliseconds overflow a long is rejected
            // here, with the key in the message, rather than as an ArithmeticException later.
            parsed.ifPresent(Duration::toMillis);
            return parsed;
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> parseUnchecked(String text) {
        Matcher matcher = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            return Optional.of(switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            });
        }
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Optional<String> raw(String key) {
        return source.apply(key).map(String::trim).filter(value -> !value.isEmpty());
    }
}
