package dev.dblayer.migration;

import java.util.Arrays;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.RepairResult;
import org.flywaydb.core.api.output.ValidateResult;

import dev.dblayer.internal.Errors;

/** The Flyway calls behind {@link Migrations}; loaded only once Flyway is known to be there. */
final class FlywayRunner {

    /**
     * The file that makes a class-path location findable on Open Liberty: Flyway cannot list a
     * directory through Liberty's class loader, and finds it through this file (Flyway's own rule).
     */
    static final String MARKER = "flyway.location";

    /**
     * Flyway looks for Java callbacks in {@code classpath:db/callback} whatever it is configured with,
     * and on Open Liberty logs an ERROR at each start where that location does not exist (measured):
     * those two records, and only those, are dropped. Held, so that the filters stay set.
     */
    private static final List<Logger> QUIETED = quietDefaultCallbackLocation();

    /**
     * Flyway's words for a script that failed: {@code Migration V3__x.sql failed} or, from Flyway 12
     * on, {@code Failed to execute script V3__x.sql}.
     */
    private static final Pattern FAILED_SCRIPT = Pattern.compile("Migration (\\S+) failed|Failed to execute script (\\S+)");

    String migrate(DataSource dataSource, MigrationSettings settings, ClassLoader loader, String database) {
        Flyway flyway = flyway(dataSource, settings, loader, database);
        try {
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted == 0) {
                return "the schema of " + database + " is up to date" + version(result.targetSchemaVersion,
                        result.initialSchemaVersion);
            }
            return "applied " + result.migrationsExecuted + " migration" + (result.migrationsExecuted == 1 ? "" : "s")
                    + " to " + database + " (" + result.migrations.stream()
                            .map(m -> m.filepath == null || m.filepath.isEmpty() ? m.version : fileName(m.filepath))
                            .collect(Collectors.joining(", "))
                    + ")" + version(result.targetSchemaVersion, result.initialSchemaVersion);
        } catch (FlywayException e) {
            throw failure(e, settings, database);
        }
    }

    String validate(DataSource dataSource, MigrationSettings settings, ClassLoader loader, String database) {
        Flyway flyway = flyway(dataSource, settings, loader, database);
        try {
            MigrationInfoService info = flyway.info();
            MigrationInfo[] pending = info.pending();
            if (pending.length > 0) {
                throw new MigrationException("the schema of " + database + " is behind its migrations: "
                        + pending.length + " not applied (" + describe(pending) + "); apply them first (the"
                        + " migration Job: java dev.dblayer.db.Migrate, see docs/migrations.md) or let this"
                        + " instance apply them with database.schema-generation=migrate");
            }
            ValidateResult result = flyway.validateWithResult();
            if (!result.validationSuccessful) {
                throw new MigrationException("the schema of " + database + " does not match its migrations: "
                        + result.getAllErrorMessages());
            }
            MigrationInfo current = info.current(); // validating changed nothing
            return "the schema of " + database + " is at "
                    + (current == null ? "no version (no migrations)" : "version " + current.getVersion())
                    + ", as its migrations make it";
        } catch (FlywayException e) {
            throw failure(e, settings, database);
        }
    }

    String repair(DataSource dataSource, MigrationSettings settings, ClassLoader loader, String database) {
        try {
            RepairResult result = flyway(dataSource, settings, loader, database).repair();
            return "repaired the history of " + database + ": " + result.migrationsRemoved.size()
                    + " failed migration(s) removed, " + result.migrationsAligned.size() + " checksum(s) realigned";
        } catch (FlywayException e) {
            throw failure(e, settings, database);
        }
    }

    String info(DataSource dataSource, MigrationSettings settings, ClassLoader loader, String database) {
        try {
            MigrationInfo[] all = flyway(dataSource, settings, loader, database).info().all();
            StringBuilder out = new StringBuilder("migrations of " + database + ":");
            for (MigrationInfo m : all) {
                out.append(System.lineSeparator()).append("  ").append(label(m)).append(": ")
                        .append(m.getState().getDisplayName());
            }
            return out.toString();
        } catch (FlywayException e) {
            throw failure(e, settings, database);
        }
    }

    private static Flyway flyway(DataSource dataSource, MigrationSettings settings, ClassLoader loader,
            String database) {
        try {
            return Flyway.configure(loader)
                    .dataSource(dataSource)
                    .locations(settings.locations().toArray(String[]::new))
                    .failOnMissingLocations(true)
                    .baselineOnMigrate(settings.baselineOnMigrate())
                    .baselineVersion(settings.baselineVersion())
                    .validateOnMigrate(settings.validateOnMigrate())
                    .outOfOrder(settings.outOfOrder())
                    .table(settings.table())
                    .placeholders(settings.placeholders())
                    .load();
        } catch (FlywayException e) {
            throw failure(e, settings, database);
        }
    }

    /**
     * What went wrong, in dblayer's words: a failed script by its name with the database's message;
     * anything else with Flyway's message up to the failed statement's text, which may hold secrets.
     */
    private static MigrationException failure(FlywayException e, MigrationSettings settings, String database) {
        String message = String.valueOf(e.getMessage());
        Matcher script = FAILED_SCRIPT.matcher(message);
        if (script.find()) {
            String name = script.group(1) != null ? script.group(1) : script.group(2);
            return new MigrationException("migration " + name + " failed on " + database + ": "
                    + Errors.rootMessage(e).strip(), e);
        }
        if (message.contains("Unable to resolve location") || message.contains("Failed to find location")) {
            return new MigrationException(MigrationSettings.LOCATIONS + "=" + String.join(",", settings.locations())
                    + ": no such location on the application's class path or file system (" + firstLine(message)
                    + "); on Open Liberty a class-path location is found only through an empty file named "
                    + MARKER + " in it, such as src/main/resources/db/migration/" + MARKER, e);
        }
        if (message.contains("No database found to handle")) {
            return new MigrationException("Flyway has no support for " + database + ": " + Migrations.ADD_FLYWAY, e);
        }
        int statement = message.indexOf("Statement");
        String safe = (statement < 0 ? message : message.substring(0, statement)).strip();
        return new MigrationException("migrating " + database + " failed: " + safe, e);
    }

    private static List<Logger> quietDefaultCallbackLocation() {
        List<Logger> loggers = List.of(Logger.getLogger("org.flywaydb.core.FlywayExecutor"),
                Logger.getLogger("org.flywaydb.core.internal.scanner.classpath.ClassPathScanner"));
        for (Logger logger : loggers) {
            Filter previous = logger.getFilter();
            logger.setFilter(record -> !String.valueOf(record.getMessage()).contains("location classpath:db/callback")
                    && (previous == null || previous.isLoggable(record)));
        }
        return loggers;
    }

    private static String describe(MigrationInfo[] migrations) {
        return Arrays.stream(migrations).map(FlywayRunner::label).collect(Collectors.joining(", "));
    }

    /** {@code V2 add label}, or {@code R ...} for a repeatable migration. */
    private static String label(MigrationInfo migration) {
        return (migration.getVersion() == null ? "R" : "V" + migration.getVersion()) + " " + migration.getDescription();
    }

    private static String version(String target, String initial) {
        if (target == null || target.isEmpty()) {
            return "";
        }
        return initial == null || initial.isEmpty() || initial.equals(target)
                ? ": now at version " + target
                : ": version " + initial + " -> " + target;
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }
}
