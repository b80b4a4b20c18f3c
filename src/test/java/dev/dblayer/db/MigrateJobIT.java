package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.testsupport.JavaProcess;
import dev.dblayer.testsupport.LocalDatabases;

/**
 * Issue 16: the migration Job's command, {@code java dev.dblayer.db.Migrate}, run as the Job runs
 * it: a JVM of its own on what a WAR's {@code WEB-INF/classes} and {@code WEB-INF/lib} hold (no
 * server API: no Jakarta EE, no MicroProfile, no EclipseLink on its class path), its settings from
 * the environment and the application's {@code microprofile-config.properties}. It migrates,
 * validates, lists, fails with status 1 on a schema that is behind and 2 on a bad setting, and
 * never prints the password.
 */
class MigrateJobIT {

    private static final Duration EXIT_BOUND = Duration.ofSeconds(60);
    private static final String CANARY = "job-canary-secret-7f3a";
    private static String classPath;

    /** A WAR's class path: the application's classes and scripts, then its libraries, no server API. */
    @BeforeAll
    static void applicationClassPath() throws IOException {
        Path classes = Files.createTempDirectory("migrate-job-classes-");
        Path metaInf = Files.createDirectories(classes.resolve("META-INF"));
        Files.writeString(metaInf.resolve("microprofile-config.properties"), String.join("\n",
                "database.schema-generation=validate",
                "database.migration.locations=classpath:db/migration",
                "database.migration.placeholders=labelPrefix=v:", ""));
        Path scripts = Files.createDirectories(classes.resolve("db/migration"));
        try (Stream<Path> later = Files.list(Path.of("target/test-classes/migrations/later"))) {
            for (Path script : later.toList()) {
                Files.copy(script, scripts.resolve(script.getFileName()));
            }
        }
        String libraries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar"))
                .filter(jar -> {
                    String file = Path.of(jar).getFileName().toString();
                    return !file.startsWith("jakarta.") && !file.startsWith("microprofile-")
                            && !file.startsWith("eclipselink") && !file.startsWith("org.eclipse.persistence");
                })
                .collect(Collectors.joining(File.pathSeparator));
        classPath = String.join(File.pathSeparator, classes.toString(), Path.of("target/classes").toAbsolutePath()
                .toString(), libraries);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void theJobMigratesValidatesAndListsWithTheApplicationsSettings(DatabaseType type) throws Exception {
        String name = "dblayer_mig_job_" + (type == DatabaseType.MYSQL ? "my" : "pg");
        LocalDatabases.dropDatabase(type, name);
        LocalDatabases.ensureDatabase(type, name);
        try {
            Map<String, String> env = environment(type, name);
            Run validateFirst = run(env, "validate");
            assertEquals(1, validateFirst.exit(), validateFirst.output());
            assertTrue(validateFirst.output().contains("is behind its migrations: 2 not applied"), validateFirst.output());

            Run migrate = run(env, "migrate");
            assertEquals(0, migrate.exit(), migrate.output());
            assertTrue(migrate.output().contains("dblayer migrate (main): applied 2 migrations"), migrate.output());

            Run validate = run(env, "validate");
            assertEquals(0, validate.exit(), validate.output());
            assertTrue(validate.output().contains("is at version 2"), validate.output());

            Run info = run(env, "info");
            assertEquals(0, info.exit(), info.output());
            assertTrue(info.output().contains("V2 add label: Success"), info.output());
            assertEquals(List.of("3 v:one"), LocalDatabases.rows(type, name,
                    "SELECT COUNT(*), MIN(label) FROM mig_item"), "the placeholder from the application's properties");

            Map<String, String> bad = new HashMap<>(env);
            bad.put("DATABASE_MIGRATION_TABLE", "schema-history!");
            Run refused = run(bad, "migrate");
            assertEquals(2, refused.exit(), refused.output());
            assertTrue(refused.output().contains("database.migration.table") && refused.output()
                    .contains("schema-history!"), "names the setting and its value: " + refused.output());

            for (Run each : List.of(validateFirst, migrate, validate, info, refused)) {
                assertFalse(each.output().contains(CANARY), "the password is never printed: " + each.output());
            }
        } finally {
            LocalDatabases.dropDatabase(type, name);
        }
    }

    /** The database's settings as a Kubernetes Job's environment gives them. */
    private static Map<String, String> environment(DatabaseType type, String name) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_TYPE", type.name().toLowerCase());
        env.put("DATABASE_HOST", "127.0.0.1");
        env.put("DATABASE_SCHEMA", name);
        if (type == DatabaseType.POSTGRESQL) {
            env.put("DATABASE_PASSWORD", CANARY); // trust authentication ignores it; it must not show
        }
        return env;
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Map<String, String> env, String command) {
        try (JavaProcess job = JavaProcess.start(classPath, Migrate.class.getName(), Map.of(), env, command)) {
            int exit = job.awaitExit(EXIT_BOUND);
            return new Run(exit, job.output());
        }
    }
}
