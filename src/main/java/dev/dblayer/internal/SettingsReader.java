package dev.dblayer.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.Config;

/**
 * Reads and validates single settings from MicroProfile Config (or any key lookup), with error
 * messages that name the key, the offending value and what is allowed.
 *
 * <p>Internal to dblayer: the settings records of {@code dev.dblayer.db} and
 * {@code dev.dblayer.redis} use it once, at startup, to read raw values; the records' constructors
 * validate them (with {@link Checks} and {@link Hosts}), and {@link #validated} makes their
 * messages quote a value as it was written. Values of keys read with {@link #secret} never appear
 * in a message. Blank values count as unset, as in MicroProfile Config.
 *
 * <p>Durations are accepted as a whole number of seconds ({@code 30}), a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}) or ISO-8601 ({@code PT30S}).
 */
public final class SettingsReader {

    /** The duration forms, as told in messages. */
    static final String DURATION_FORMS =
            "(seconds as a number, or with a unit: 500ms, 30s, 5m, 1h, or ISO-8601 such as PT30S)";
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final Function<String, Optional<String>> source;
    /** The key a message names for a key read: where its value came from, or where it should be set. */
    private final UnaryOperator<String> naming;

    private SettingsReader(Function<String, Optional<String>> source) {
        this(source, UnaryOperator.identity());
    }

    private SettingsReader(Function<String, Optional<String>> source, UnaryOperator<String> naming) {
        this.source = source;
        this.naming = naming;
    }

    /** A reader over MicroProfile Config, so that environment variables apply. */
    public static SettingsReader of(Config config) {
        return new SettingsReader(key -> config.getOptionalValue(key, String.class));
    }

    /**
     * A reader over any lookup of a key's value; for code outside a server, which has no
     * MicroProfile Config (such as the migration Job's main class).
     */
    public static SettingsReader of(Function<String, Optional<String>> lookup) {
        return new SettingsReader(lookup);
    }

    /** A reader over a plain map; for tests and for code that is not in a container. */
    public static SettingsReader of(Map<String, String> values) {
        return new SettingsReader(key -> Optional.ofNullable(values.get(key)));
    }

    /**
     * A reader where every key under {@code base} is looked up under {@code overlay} first: reading
     * {@code database.host} through {@code overlay("database.", "database.sources.reports.", ...)}
     * gives {@code database.sources.reports.host} when that is set, else {@code database.host}.
     * Keys (written under {@code base}) in {@code ownOnly} never fall back: they are read under
     * {@code overlay} alone, or take their value from {@code ownDefaults} when unset there. Messages
     * name the key the value came from, or, for an unset key, the overlay's.
     */
    public SettingsReader overlay(String base, String overlay, Set<String> ownOnly, Map<String, String> ownDefaults) {
        Function<String, String> overlaid = key -> overlay + key.substring(base.length());
        Function<String, Optional<String>> overlaySource = key -> {
            if (!key.startsWith(base)) {
                return source.apply(key);
            }
            Optional<String> own = source.apply(overlaid.apply(key)).filter(value -> !value.isBlank());
            if (own.isPresent()) {
                return own;
            }
            if (ownDefaults.containsKey(key)) {
                return Optional.of(ownDefaults.get(key));
            }
            return ownOnly.contains(key) ? Optional.empty() : source.apply(key);
        };
        UnaryOperator<String> overlayNaming = key -> {
            if (!key.startsWith(base)) {
                return naming.apply(key);
            }
            boolean fromBase = !ownOnly.contains(key) && !ownDefaults.containsKey(key)
                    && source.apply(overlaid.apply(key)).filter(value -> !value.isBlank()).isEmpty()
                    && raw(key).isPresent();
            return fromBase ? naming.apply(key) : overlaid.apply(key);
        };
        return new SettingsReader(overlaySource, overlayNaming);
    }

    /**
     * The key that messages about {@code key} name: {@code key} itself, or under an
     * {@link #overlay} the key its value came from.
     */
    public String name(String key) {
        return naming.apply(key);
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

    /** A whole number, or {@code defaultValue}; its range is for the caller (a record's constructor) to check. */
    public int integer(String key, int defaultValue) {
        return integer(key, defaultValue, "a whole number");
    }

    /** An integer from {@code min} to {@code max}, inclusive. */
    public int integer(String key, int defaultValue, int min, int max) {
        int parsed = integer(key, defaultValue, Checks.wholeNumber(min, max));
        return isSet(key) ? validated(() -> Checks.range(key, parsed, min, max)) : parsed;
    }

    private int integer(String key, int defaultValue, String allowed) {
        Optional<String> value = raw(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return parseInteger(value.get()).orElseThrow(() -> invalid(name(key), value.get(), allowed));
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
            default -> throw invalid(name(key), value.get(), "true or false");
        };
    }

    /**
     * A duration, or {@code defaultValue}; see the class documentation for the forms. Its range is
     * for the caller (a record's constructor) to check.
     */
    public Duration duration(String key, Duration defaultValue) {
        return duration(key, defaultValue, "a duration " + DURATION_FORMS);
    }

    /** A duration of at least {@code min}; see the class documentation for the forms. */
    public Duration duration(String key, Duration defaultValue, Duration min) {
        Duration parsed = duration(key, defaultValue, Checks.durationOfAtLeast(min));
        return isSet(key) ? validated(() -> Checks.atLeast(key, parsed, min)) : parsed;
    }

    /** A duration from {@code min} to {@code max}, inclusive; see the class documentation for the forms. */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Duration parsed = duration(key, defaultValue, Checks.durationOfAtLeast(min));
        return validated(() -> Checks.within(key, parsed, min, max));
    }

    private Duration duration(String key, Duration defaultValue, String allowed) {
        Optional<String> value = raw(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return parseDuration(value.get()).orElseThrow(() -> invalid(name(key), value.get(), allowed));
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
        throw invalid(name(key), value.get(), allowed);
    }

    /** The form in which an enum constant is written in configuration. */
    public static String settingName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Runs {@code build}, typically a settings record's constructor over values this reader read.
     * When it rejects a value that is what this reader read from that key, the message quotes the
     * value as written ({@code "0"}, {@code "PT0.1S"}) rather than as the record shows it
     * ({@code "0s"}, {@code "100ms"}), so that it can be found in the configuration. Only the
     * spelling changes: the value is the one the message already holds, never a secret's.
     */
    public <T> T validated(Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidSettingException e) {
            Optional<String> written = raw(e.key());
            if (written.isPresent() && reread(written.get(), e.value()).equals(Optional.of(e.value()))) {
                throw invalid(name(e.key()), written.get(), e.allowed());
            }
            if (!name(e.key()).equals(e.key())) {
                throw invalid(name(e.key()), e.value(), e.allowed());
            }
            throw e;
        }
    }

    /** {@code text} read as a value of {@code value}'s type, if it reads as one. */
    private static Optional<Object> reread(String text, Object value) {
        if (value instanceof Integer) {
            return parseInteger(text).map(Object.class::cast);
        }
        if (value instanceof Duration) {
            return parseDuration(text).map(Object.class::cast);
        }
        return Optional.of(text);
    }

    /**
     * The error for a bad value: names the key, the value and what is allowed, as
     * {@code KEY must be ALLOWED but was "VALUE"}; a {@link Duration} value is written as
     * {@link #format} writes it.
     */
    public static InvalidSettingException invalid(String key, Object value, String allowed) {
        return new InvalidSettingException(key, value, allowed);
    }

    /** Writes a duration the way this class reads it: {@code 30s}, {@code 500ms}; ISO-8601 beyond a long of milliseconds. */
    public static String format(Duration duration) {
        long millis;
        try {
            millis = duration.toMillis();
        } catch (ArithmeticException e) {
            return duration.toString();
        }
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    /**
     * A setting's value that is not allowed. Its message is the one format of all settings errors;
     * {@link #key}, {@link #value} and {@link #allowed} let {@link #validated} quote the value as written.
     */
    public static final class InvalidSettingException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final String key;
        private final transient Object value;
        private final String allowed;

        InvalidSettingException(String key, Object value, String allowed) {
            super(key + " must be " + allowed + " but was \"" + shown(value) + "\"");
            this.key = key;
            this.value = value;
            this.allowed = allowed;
        }

        private static String shown(Object value) {
            return value instanceof Duration duration ? format(duration) : String.valueOf(value);
        }

        /** The setting's key. */
        public String key() {
            return key;
        }

        /** The rejected value. */
        public Object value() {
            return value;
        }

        /** What the setting allows, as the message says it. */
        public String allowed() {
            return allowed;
        }
    }

    private static Optional<Integer> parseInteger(String text) {
        try {
            return Optional.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
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
