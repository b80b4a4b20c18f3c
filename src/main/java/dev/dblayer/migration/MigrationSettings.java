package dev.dblayer.migration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.dblayer.internal.Checks;
import dev.dblayer.internal.SettingsReader;

/**
 * How Flyway migrates one database, from {@code database.migration.*} (or a named source's
 * {@code database.sources.NAME.migration.*}), checked when built like every other setting.
 *
 * @param locations {@code database.migration.locations}: where the scripts are, comma-separated;
 *                  {@code classpath:} (the application's class path, the default prefix) or
 *                  {@code filesystem:} paths; {@link #DEFAULT_LOCATION} by default
 * @param baselineOnMigrate {@code database.migration.baseline-on-migrate}: on a database that has
 *                  tables but no history table, record {@code baselineVersion} as applied instead of
 *                  failing (false by default)
 * @param baselineVersion {@code database.migration.baseline-version}: the version that baseline
 *                  records ({@code 1} by default); scripts up to it are never run there
 * @param validateOnMigrate {@code database.migration.validate-on-migrate}: check the applied scripts'
 *                  checksums before migrating (true by default)
 * @param outOfOrder {@code database.migration.out-of-order}: apply a script whose version is below
 *                  the newest applied one (false by default: such a script fails validation)
 * @param table {@code database.migration.table}: the history table ({@code flyway_schema_history})
 * @param placeholders {@code database.migration.placeholders}: {@code name=value} pairs,
 *                  comma-separated, that replace {@code ${name}} in the scripts
 */
public record MigrationSettings(List<String> locations, boolean baselineOnMigrate, String baselineVersion,
        boolean validateOnMigrate, boolean outOfOrder, String table, Map<String, String> placeholders) {

    public static final String LOCATIONS = "database.migration.locations";
    public static final String BASELINE_ON_MIGRATE = "database.migration.baseline-on-migrate";
    public static final String BASELINE_VERSION = "database.migration.baseline-version";
    public static final String VALIDATE_ON_MIGRATE = "database.migration.validate-on-migrate";
    public static final String OUT_OF_ORDER = "database.migration.out-of-order";
    public static final String TABLE = "database.migration.table";
    public static final String PLACEHOLDERS = "database.migration.placeholders";

    public static final String DEFAULT_LOCATION = "classpath:db/migration";
    static final String DEFAULT_TABLE = "flyway_schema_history";
    static final String DEFAULT_BASELINE_VERSION = "1";

    private static final Pattern LOCATION = Pattern.compile("((classpath|filesystem):)?[^:,\\s]+");
    private static final Pattern VERSION = Pattern.compile("\\d+([._]\\d+)*");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern PLACEHOLDER = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    public MigrationSettings {
        locations = List.copyOf(Checks.given(LOCATIONS, locations));
        if (locations.isEmpty()) {
            throw SettingsReader.invalid(LOCATIONS, "", "one location or more, comma-separated, such as "
                    + DEFAULT_LOCATION);
        }
        for (String location : locations) {
            if (!LOCATION.matcher(location).matches()) {
                throw SettingsReader.invalid(LOCATIONS, String.join(",", locations), "classpath:PATH or"
                        + " filesystem:PATH, comma-separated (such as " + DEFAULT_LOCATION + ")");
            }
        }
        Checks.matching(BASELINE_VERSION, baselineVersion, VERSION, "a version such as 1 or 2.1 (digits"
                + " separated by dots)");
        Checks.matching(TABLE, table, TABLE_NAME, "a table name: a letter or _, then letters, digits or _,"
                + " at most 63 characters");
        placeholders = Map.copyOf(Checks.given(PLACEHOLDERS, placeholders));
    }

    /** The settings under {@code database.migration.}, through {@code config}. */
    public static MigrationSettings read(SettingsReader config) {
        return read(config, DEFAULT_LOCATION);
    }

    /**
     * The settings under {@code database.migration.}, through {@code config} (a named source's reader
     * looks them up under its own prefix); {@code defaultLocation} when no location is set.
     */
    public static MigrationSettings read(SettingsReader config, String defaultLocation) {
        List<String> locations = List.of(config.string(LOCATIONS, defaultLocation).split("\\s*,\\s*"));
        boolean baselineOnMigrate = config.bool(BASELINE_ON_MIGRATE, false);
        String baselineVersion = config.string(BASELINE_VERSION, DEFAULT_BASELINE_VERSION);
        boolean validateOnMigrate = config.bool(VALIDATE_ON_MIGRATE, true);
        boolean outOfOrder = config.bool(OUT_OF_ORDER, false);
        String table = config.string(TABLE, DEFAULT_TABLE);
        Map<String, String> placeholders = placeholders(config);
        return config.validated(() -> new MigrationSettings(locations, baselineOnMigrate, baselineVersion,
                validateOnMigrate, outOfOrder, table, placeholders));
    }

    private static Map<String, String> placeholders(SettingsReader config) {
        Map<String, String> placeholders = new LinkedHashMap<>();
        String text = config.string(PLACEHOLDERS, "");
        if (text.isEmpty()) {
            return placeholders;
        }
        for (String pair : text.split("\\s*,\\s*")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals).trim();
            if (equals < 0 || !PLACEHOLDER.matcher(name).matches()) {
                // the values may be secrets: the message shows the names only
                throw SettingsReader.invalid(config.name(PLACEHOLDERS), "(" + name + ")", "name=value pairs,"
                        + " comma-separated, each name a letter, then letters, digits, _, . or -");
            }
            if (placeholders.put(name, pair.substring(equals + 1).trim()) != null) {
                throw SettingsReader.invalid(config.name(PLACEHOLDERS), "(" + name + ")", "each name once");
            }
        }
        return placeholders;
    }

    @Override
    public String toString() {
        // the placeholders' values may be secrets
        return "MigrationSettings[locations=" + locations + ", baselineOnMigrate=" + baselineOnMigrate
                + ", baselineVersion=" + baselineVersion + ", validateOnMigrate=" + validateOnMigrate
                + ", outOfOrder=" + outOfOrder + ", table=" + table + ", placeholders=" + placeholders.keySet() + "]";
    }
}
