package dev.dblayer.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.internal.SettingsReader.InvalidSettingException;

/** The {@code database.migration.*} settings: defaults, parsing, and the errors for bad values. */
class MigrationSettingsTest {

    @Test
    void defaultsAreFlywaysOwn() {
        MigrationSettings settings = MigrationSettings.read(SettingsReader.of(Map.of()));
        assertEquals(List.of("classpath:db/migration"), settings.locations());
        assertFalse(settings.baselineOnMigrate());
        assertEquals("1", settings.baselineVersion());
        assertTrue(settings.validateOnMigrate());
        assertFalse(settings.outOfOrder());
        assertEquals("flyway_schema_history", settings.table());
        assertEquals(Map.of(), settings.placeholders());
    }

    @Test
    void everySettingIsRead() {
        MigrationSettings settings = MigrationSettings.read(SettingsReader.of(Map.of(
                MigrationSettings.LOCATIONS, "classpath:db/a, filesystem:/opt/scripts",
                MigrationSettings.BASELINE_ON_MIGRATE, "true",
                MigrationSettings.BASELINE_VERSION, "2.1",
                MigrationSettings.VALIDATE_ON_MIGRATE, "false",
                MigrationSettings.OUT_OF_ORDER, "true",
                MigrationSettings.TABLE, "schema_history",
                MigrationSettings.PLACEHOLDERS, "owner=app, secret=s3cr=t")));
        assertEquals(List.of("classpath:db/a", "filesystem:/opt/scripts"), settings.locations());
        assertTrue(settings.baselineOnMigrate());
        assertEquals("2.1", settings.baselineVersion());
        assertFalse(settings.validateOnMigrate());
        assertTrue(settings.outOfOrder());
        assertEquals("schema_history", settings.table());
        assertEquals(Map.of("owner", "app", "secret", "s3cr=t"), settings.placeholders());
        assertFalse(settings.toString().contains("s3cr=t"), "placeholder values may be secrets: " + settings);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "database.migration.locations|http://scripts|classpath:PATH or filesystem:PATH",
        "database.migration.locations|classpath:db/a,,classpath:db/b|classpath:PATH or filesystem:PATH",
        "database.migration.baseline-version|v1|a version such as 1 or 2.1",
        "database.migration.table|history-table|a table name",
        "database.migration.baseline-on-migrate|yes|true or false",
        "database.migration.out-of-order|maybe|true or false",
    })
    void aBadValueNamesTheSettingTheValueAndWhatIsAllowed(String key, String value, String allowed) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> MigrationSettings.read(SettingsReader.of(Map.of(key, value))));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(value) && e.getMessage().contains(allowed),
                e.getMessage());
    }

    @Test
    void aBadPlaceholderIsNamedButItsValueNeverShown() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> MigrationSettings.read(SettingsReader.of(Map.of(MigrationSettings.PLACEHOLDERS,
                        "owner=app,9lives=hunter2"))));
        assertTrue(e.getMessage().contains(MigrationSettings.PLACEHOLDERS) && e.getMessage().contains("9lives"),
                e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        InvalidSettingException twice = assertThrows(InvalidSettingException.class,
                () -> MigrationSettings.read(SettingsReader.of(Map.of(MigrationSettings.PLACEHOLDERS, "a=1,a=2"))));
        assertTrue(twice.getMessage().contains("each name once"), twice.getMessage());
    }
}
