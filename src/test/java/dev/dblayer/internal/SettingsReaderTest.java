package dev.dblayer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsReaderTest {

    private static final String KEY = "some.key";

    private enum Mode { CREATE, NONE, DROP_AND_CREATE }

    private static SettingsReader with(String value) {
        return SettingsReader.of(Map.of(KEY, value));
    }

    private static final SettingsReader EMPTY = SettingsReader.of(Map.of());

    @ParameterizedTest(name = "\"{0}\" is {1} ms")
    @CsvSource(delimiter = '|', value = {
            "30      | 30000",
            "30s     | 30000",
            "500ms   | 500",
            "5m      | 300000",
            "1h      | 3600000",
            "PT30S   | 30000",
            "pt1m    | 60000",
            "30 s    | 30000",
            "1500MS  | 1500",
            "PT0.5S  | 500"})
    void readsDurationsInEveryAcceptedForm(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), with(text).duration(KEY, Duration.ofSeconds(1), Duration.ZERO),
                "\"" + text + "\" is read as " + millis + " ms");
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"-1", "abc", "1.5s", "30 sec", "5d", "PT-5S", "s", "1s30", "99999999999999999999"})
    void rejectsMalformedDurations(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> with(text).duration(KEY, Duration.ofSeconds(1), Duration.ZERO),
                "\"" + text + "\" is not a duration");
        assertTrue(error.getMessage().startsWith(KEY + " must be a duration of at least 0s"),
                "the message names the key and the minimum: " + error.getMessage());
        assertTrue(error.getMessage().endsWith(" but was \"" + text + "\""),
                "the message ends with the value as given: " + error.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" is rejected without an ArithmeticException")
    @ValueSource(strings = {"9999999999999999h", "9223372036854775807m", "999999999999999999s"})
    void rejectsDurationsTooLargeToCountInMilliseconds(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> with(text).duration(KEY, Duration.ofSeconds(1), Duration.ZERO),
                "\"" + text + "\" overflows and is reported as a bad value, not as an ArithmeticException");
        assertTrue(error.getMessage().contains(KEY) && error.getMessage().contains(text),
                "the message names key and value: " + error.getMessage());
    }

    @Test
    void rejectsZeroWhenTheMinimumIsAboveZero() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> with("0").duration(KEY, Duration.ofSeconds(30), Duration.ofMillis(250)),
                "0 is below a 250 ms minimum");
        assertTrue(error.getMessage().startsWith(KEY + " must be a duration of at least 250ms"),
                "the message states the minimum: " + error.getMessage());
        assertEquals(Duration.ZERO, with("0").duration(KEY, Duration.ofSeconds(30), Duration.ZERO),
                "0 is accepted when the minimum is 0");
    }

    @Test
    void rejectsDurationsBelowTheMinimumGivenWithAUnit() {
        assertThrows(IllegalArgumentException.class,
                () -> with("100ms").duration(KEY, Duration.ofSeconds(30), Duration.ofMillis(250)),
                "100ms is below a 250 ms minimum");
        assertEquals(Duration.ofMillis(250), with("250ms").duration(KEY, Duration.ofSeconds(30), Duration.ofMillis(250)),
                "the minimum itself is accepted");
    }

    @Test
    void rejectsDurationsAboveTheMaximum() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> with("2h").duration(KEY, Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(1)),
                "2h is above a 1 h maximum");
        assertEquals(KEY + " must be a duration of at most 3600s but was \"2h\"", error.getMessage(),
                "the message states the maximum and the value");
        assertEquals(Duration.ofHours(1), with("1h").duration(KEY, Duration.ofSeconds(30), Duration.ZERO,
                Duration.ofHours(1)), "the maximum itself is accepted");
    }

    @Test
    void usesTheDefaultDurationWhenUnsetOrBlank() {
        assertEquals(Duration.ofSeconds(7), EMPTY.duration(KEY, Duration.ofSeconds(7), Duration.ZERO),
                "an unset key gives the default");
        assertEquals(Duration.ofSeconds(7), with("   ").duration(KEY, Duration.ofSeconds(7), Duration.ZERO),
                "a blank value counts as unset");
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"1, 1", "65535, 65535", "' 42 ', 42", "+7, 7"})
    void readsIntegersWithinRange(String text, int expected) {
        assertEquals(expected, with(text).integer(KEY, 5, 1, 65535), "\"" + text + "\" is read as " + expected);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"0", "65536", "-1", "abc", "1.5", "99999999999"})
    void rejectsIntegersOutOfRangeOrMalformed(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> with(text).integer(KEY, 5, 1, 65535), "\"" + text + "\" is not a whole number from 1 to 65535");
        assertEquals(KEY + " must be a whole number from 1 to 65535 but was \"" + text + "\"", error.getMessage(),
                "the message names the key, the range and the value");
    }

    @Test
    void usesTheDefaultIntegerWhenUnset() {
        assertEquals(5, EMPTY.integer(KEY, 5, 1, 10), "an unset key gives the default");
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"true, true", "TRUE, true", "False, false", "' false ', false"})
    void readsBooleansCaseInsensitively(String text, boolean expected) {
        assertEquals(expected, with(text).bool(KEY, !expected), "\"" + text + "\" is read as " + expected);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"yes", "1", "on", "tru"})
    void rejectsBooleansOtherThanTrueOrFalse(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> with(text).bool(KEY, false),
                "\"" + text + "\" is neither true nor false");
        assertEquals(KEY + " must be true or false but was \"" + text + "\"", error.getMessage(),
                "the message names the key, what is allowed and the value");
    }

    @Test
    void readsEnumChoicesWrittenWithHyphens() {
        assertEquals(Mode.DROP_AND_CREATE, with("drop-and-create").choice(KEY, Mode.CREATE, Mode.class),
                "drop-and-create is DROP_AND_CREATE");
        assertEquals(Mode.DROP_AND_CREATE, with("Drop-And-Create").choice(KEY, Mode.CREATE, Mode.class),
                "choices are case-insensitive");
        assertEquals(Mode.NONE, with("none").choice(KEY, Mode.CREATE, Mode.class), "none is NONE");
        assertEquals(Mode.CREATE, EMPTY.choice(KEY, Mode.CREATE, Mode.class), "an unset key gives the default");
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"drop_and_create", "DROP_AND_CREATE", "dropandcreate", "update"})
    void rejectsEnumChoicesNotWrittenAsSettingNames(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> with(text).choice(KEY, Mode.CREATE, Mode.class), "\"" + text + "\" is not a setting name");
        assertEquals(KEY + " must be one of [create, none, drop-and-create] but was \"" + text + "\"",
                error.getMessage(), "the message lists the choices in setting form");
    }

    @Test
    void stringsAreTrimmedAndBlankCountsAsUnset() {
        assertEquals(Optional.of("x"), with("  x ").string(KEY), "a value is trimmed");
        assertEquals(Optional.empty(), with("   ").string(KEY), "a blank value is unset");
        assertFalse(with(" ").isSet(KEY), "a blank value is not set");
        assertTrue(with("x").isSet(KEY), "a value is set");
        assertEquals("dflt", EMPTY.string(KEY, "dflt"), "an unset key gives the default");
    }

    @Test
    void secretsAreKeptExactlyAsGiven() {
        assertEquals(" p w ", with(" p w ").secret(KEY), "a secret is not trimmed");
        assertEquals("", EMPTY.secret(KEY), "an unset secret is empty");
    }

    @Test
    void invalidValueMessageHasTheDocumentedFormat() {
        assertEquals("database.type must be one of [postgresql, mysql] but was \"oracle\"",
                SettingsReader.invalid("database.type", "oracle", "one of [postgresql, mysql]").getMessage(),
                "KEY must be ALLOWED but was \"VALUE\"");
    }

    @Test
    void formatsDurationsTheWayTheyAreRead() {
        assertEquals("30s", SettingsReader.format(Duration.ofSeconds(30)), "whole seconds with s");
        assertEquals("1500ms", SettingsReader.format(Duration.ofMillis(1500)), "other durations in ms");
        assertEquals("drop-and-create", SettingsReader.settingName(Mode.DROP_AND_CREATE),
                "enum constants in lower case with hyphens");
    }

    @Test
    void readsNumbersAndDurationsWithoutARangeForTheRecordToCheck() {
        assertEquals(0, with("0").integer(KEY, 5), "any whole number is read");
        assertEquals(Duration.ZERO, with("0").duration(KEY, Duration.ofSeconds(1)), "any duration is read");
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class,
                () -> with("ten").integer(KEY, 5), "ten is not a number");
        assertEquals(KEY + " must be a whole number but was \"ten\"", number.getMessage(),
                "a type error stays with the reader");
        IllegalArgumentException duration = assertThrows(IllegalArgumentException.class,
                () -> with("soon").duration(KEY, Duration.ofSeconds(1)), "soon is not a duration");
        assertTrue(duration.getMessage().startsWith(KEY + " must be a duration (seconds as a number"),
                "a type error names the forms: " + duration.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"PT0.1S", "100ms", "100 MS"})
    void validatedQuotesARejectedValueAsWritten(String text) {
        SettingsReader reader = with(text);
        Duration read = reader.duration(KEY, Duration.ZERO);
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                () -> Checks.atLeast(KEY, read, Duration.ofMillis(250)), "100 ms is below 250 ms");
        assertTrue(direct.getMessage().endsWith("but was \"100ms\""), "a value built directly is shown as the "
                + "reader writes durations: " + direct.getMessage());
        IllegalArgumentException validated = assertThrows(IllegalArgumentException.class,
                () -> reader.validated(() -> Checks.atLeast(KEY, read, Duration.ofMillis(250))),
                "100 ms is below 250 ms");
        assertEquals(direct.getMessage().replace("\"100ms\"", "\"" + text + "\""), validated.getMessage(),
                "the same message, quoting the value as written in the configuration");
    }

    @Test
    void validatedKeepsTheRecordsValueWhenItIsNotWhatWasRead() {
        Pattern digits = Pattern.compile("\\d+");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> with("12").validated(() -> Checks.matching(KEY, "12_test", digits, "digits")),
                "12_test is not digits");
        assertEquals(KEY + " must be digits but was \"12_test\"", error.getMessage(),
                "the value the record rejected, not the different one read from the key");
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> EMPTY.validated(() -> Checks.range(KEY, 0, 1, 9)), "0 is out of range");
        assertEquals(KEY + " must be a whole number from 1 to 9 but was \"0\"", unset.getMessage(),
                "a value from elsewhere (a default, a URL) is shown as the record has it");
    }
}
