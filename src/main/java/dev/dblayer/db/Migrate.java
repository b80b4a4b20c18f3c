package dev.dblayer.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;

import dev.dblayer.internal.Errors;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.migration.MigrationException;
import dev.dblayer.migration.Migrations;

/**
 * Runs only the migrations, with the application's settings and scripts, and exits: what a
 * Kubernetes Job runs once per release, before the pods (which then use
 * {@code database.schema-generation=validate}) roll. On the application's class path
 * ({@code WEB-INF/classes} and {@code WEB-INF/lib/*} of its WAR):
 *
 * <pre>java -cp 'WEB-INF/classes:WEB-INF/lib/*' dev.dblayer.db.Migrate [migrate|validate|info|repair]</pre>
 *
 * <p>Settings are read as MicroProfile Config reads them, without a server: system properties, then
 * environment variables ({@code DATABASE_HOST} for {@code database.host}), then every
 * {@code META-INF/microprofile-config.properties} on the class path. It migrates the main database
 * and each named source whose {@code schema-generation} is {@code migrate} or {@code validate}.
 * Exit status: 0 done, 1 a migration or the database failed, 2 bad arguments or settings.
 */
public final class Migrate {

    private static final List<String> COMMANDS = List.of("migrate", "validate", "info", "repair");

    private Migrate() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Does what {@link #main} does and returns the exit status; {@code env} stands for the environment. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        String command = args.length == 0 ? "migrate" : args[0].toLowerCase(Locale.ROOT);
        if (args.length > 1 || !COMMANDS.contains(command)) {
            err.println("usage: java dev.dblayer.db.Migrate [" + String.join("|", COMMANDS) + "] (default migrate)");
            return 2;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Map<String, DatabaseSettings> databases;
        try {
            databases = databases(SettingsReader.of(lookup(env, loader)));
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("dblayer migrate: " + e.getMessage());
            return 2;
        }
        if (databases.isEmpty()) {
            err.println("dblayer migrate: no database migrates: set " + DatabaseSettings.SCHEMA_GENERATION
                    + "=migrate or validate (or a source's schema-generation), see docs/migrations.md");
            return 2;
        }
        for (Map.Entry<String, DatabaseSettings> entry : databases.entrySet()) {
            DatabaseSettings settings = entry.getValue();
            String database = settings.describe();
            try (HikariDataSource pool = ConnectionPool.create(settings, "dblayer-migrate-" + entry.getKey(), false)) {
                String outcome = switch (command) {
                    case "migrate" -> Migrations.migrate(pool, settings.migration(), loader, database);
                    case "validate" -> Migrations.validate(pool, settings.migration(), loader, database);
                    case "repair" -> Migrations.repair(pool, settings.migration(), loader, database);
                    default -> Migrations.info(pool, settings.migration(), loader, database);
                };
                out.println("dblayer " + command + " (" + entry.getKey() + "): " + outcome);
            } catch (MigrationException e) {
                err.println("dblayer " + command + " (" + entry.getKey() + "): " + e.getMessage());
                return 1;
            } catch (RuntimeException e) {
                err.println("dblayer " + command + " (" + entry.getKey() + "): cannot reach " + database + ": "
                        + Errors.rootMessage(e));
                return 1;
            }
        }
        return 0;
    }

    /** The main database ({@code main}) and the named sources that migrate, in that order. */
    static Map<String, DatabaseSettings> databases(SettingsReader config) {
        Map<String, DatabaseSettings> databases = new LinkedHashMap<>();
        DatabaseSettings main = DatabaseSettings.read(config);
        add(databases, "main", main);
        for (String name : DatabaseSettings.sourceNames(config)) {
            add(databases, name, DatabaseSettings.readSource(config, name));
        }
        return databases;
    }

    private static void add(Map<String, DatabaseSettings> databases, String name, DatabaseSettings settings) {
        if (!settings.schemaGeneration().migrates()) {
            return;
        }
        if (settings.dataSource().isPresent()) {
            throw new IllegalArgumentException("the database \"" + name + "\" is the server's DataSource "
                    + settings.dataSource().get() + ", which a Job outside the server cannot use: give the Job "
                    + "database.host (or database.url) and the credentials instead");
        }
        databases.put(name, settings);
    }

    /**
     * MicroProfile Config's order without a server: a system property, then the environment (the key,
     * then with each character other than a letter or digit as {@code _}, then that in upper case),
     * then the class path's {@code META-INF/microprofile-config.properties}.
     */
    static Function<String, Optional<String>> lookup(Map<String, String> env, ClassLoader loader) {
        Properties files = properties(loader);
        return key -> {
            String value = System.getProperty(key);
            if (value == null) {
                String underscored = key.replaceAll("[^A-Za-z0-9]", "_");
                value = env.getOrDefault(key, env.getOrDefault(underscored,
                        env.get(underscored.toUpperCase(Locale.ROOT))));
            }
            if (value == null) {
                value = files.getProperty(key);
            }
            return Optional.ofNullable(value).filter(v -> !v.isBlank());
        };
    }

    /** Every {@code META-INF/microprofile-config.properties}, the first on the class path winning. */
    private static Properties properties(ClassLoader loader) {
        Properties merged = new Properties();
        try {
            List<URL> files = new ArrayList<>(Collections.list(
                    loader.getResources("META-INF/microprofile-config.properties")));
            Collections.reverse(files);
            for (URL file : files) {
                try (InputStream in = file.openStream()) {
                    merged.load(in);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read META-INF/microprofile-config.properties: " + e.getMessage(), e);
        }
        return merged;
    }
}
