package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.testsupport.JavaProcess;
import dev.dblayer.testsupport.LocalDatabases;

/**
 * Issue 12: three instances deploying at the same moment against an empty database, with schema
 * generation {@code create}, all come up, log no warning or error, and leave the unit's full
 * schema. Each instance is a JVM of its own ({@link StartupNode}); the three sleep until one agreed
 * wall-clock millisecond, then start {@link Database}. Several rounds per database, each on a fresh
 * database; the schema is compared with that of one instance started alone.
 */
class ConcurrentStartupIT {

    private static final int ROUNDS = 4;
    private static final int INSTANCES = 3;
    /** Time for the JVMs to start and load their classes before the agreed instant. */
    private static final Duration HEAD_START = Duration.ofMillis(3500);
    private static final Duration EXIT_BOUND = Duration.ofSeconds(90);
    /**
     * A record of EclipseLink or dblayer at WARNING or SEVERE, or any mention of an exception or
     * error. (HikariCP's own warning that a pool of fixed size ignores idleTimeout is not ours.)
     */
    private static final Pattern TROUBLE = Pattern.compile(
            "(?m)^(WARNING|SEVERE) (org\\.eclipse\\.persistence|dev\\.dblayer).*|.*(Exception|ERROR|Error:).*");
    private static final Pattern WAITED = Pattern.compile("waited (\\d+) ms");

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void threeInstancesStartingTogetherAllComeUpWithTheWholeSchema(DatabaseType type) throws Exception {
        String prefix = "dblayer_startup_" + (type == DatabaseType.MYSQL ? "my" : "pg");
        List<String> expected = alone(type, prefix + "_alone");
        assertFalse(expected.isEmpty(), "the instance started alone generates a schema");
        for (int round = 1; round <= ROUNDS; round++) {
            String name = prefix + "_" + round;
            LocalDatabases.dropDatabase(type, name);
            LocalDatabases.ensureDatabase(type, name);
            try {
                List<String> outputs = race(type, name, round);
                for (int i = 0; i < outputs.size(); i++) {
                    String output = outputs.get(i);
                    Matcher trouble = TROUBLE.matcher(output);
                    assertFalse(trouble.find(), "instance " + (i + 1) + " of round " + round + " on " + type
                            + " logs no warning, error or exception, but logged " + firstCause(output) + ":\n"
                            + output);
                }
                assertEquals(expected, schema(type, name), "round " + round + " on " + type
                        + " leaves the same tables, columns, constraints, indexes and generator rows"
                        + " as one instance alone");
            } finally {
                LocalDatabases.dropDatabase(type, name);
            }
        }
    }

    /** The schema one instance generates alone on a fresh database {@code name}. */
    private static List<String> alone(DatabaseType type, String name) throws SQLException {
        LocalDatabases.dropDatabase(type, name);
        LocalDatabases.ensureDatabase(type, name);
        try (JavaProcess node = JavaProcess.start(StartupNode.class, Map.of(),
                type.name(), name, Long.toString(System.currentTimeMillis()), "alone")) {
            assertEquals(0, node.awaitExit(EXIT_BOUND), "an instance alone comes up on " + type + ":\n"
                    + node.output());
            return schema(type, name);
        } finally {
            LocalDatabases.dropDatabase(type, name);
        }
    }

    /** Starts the instances together on {@code name}, waits for them, checks they came up; their outputs. */
    private static List<String> race(DatabaseType type, String name, int round) {
        String startAt = Long.toString(System.currentTimeMillis() + HEAD_START.toMillis());
        List<JavaProcess> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= INSTANCES; i++) {
                nodes.add(JavaProcess.start(StartupNode.class, Map.of(), type.name(), name, startAt,
                        "r" + round + "-" + i));
            }
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                JavaProcess node = nodes.get(i);
                int exit = node.awaitExit(EXIT_BOUND);
                String output = node.output();
                outputs.add(output);
                report(type, round, i + 1, exit, output);
                assertEquals(0, exit, "instance " + (i + 1) + " of round " + round + " on " + type
                        + " comes up and exits 0:\n" + output);
                assertTrue(output.contains(StartupNode.READY), "instance " + (i + 1) + " of round " + round
                        + " on " + type + " prints that it is up:\n" + output);
            }
            return outputs;
        } finally {
            nodes.forEach(JavaProcess::close);
        }
    }

    /** The first line of {@link #TROUBLE} in {@code output}, and the database's answer if EclipseLink quotes one. */
    private static String firstCause(String output) {
        Matcher trouble = TROUBLE.matcher(output);
        String first = trouble.find() ? trouble.group().trim() : "(nothing)";
        String cause = output.lines().filter(line -> line.startsWith("Internal Exception:")).findFirst().orElse("");
        return "\"" + first + "\"" + (cause.isEmpty() ? "" : " (" + cause + ")");
    }

    /** The figures of one instance, for the failsafe output file. */
    private static void report(DatabaseType type, int round, int instance, int exit, String output) {
        String ready = output.lines().filter(line -> line.startsWith(StartupNode.READY)).findFirst()
                .orElse("(not ready)");
        Matcher waited = WAITED.matcher(output);
        System.out.println("ConcurrentStartupIT " + type + " round " + round + " instance " + instance
                + ": exit " + exit + ", " + ready + (waited.find() ? ", waited " + waited.group(1) + " ms" : "")
                + ", trouble lines " + TROUBLE.matcher(output).results().count());
    }

    /**
     * The schema of database {@code name}, one sorted line per column, key or unique constraint,
     * index and row of the id generator table.
     */
    private static List<String> schema(DatabaseType type, String name) throws SQLException {
        String schema = type == DatabaseType.MYSQL ? "DATABASE()" : "current_schema()";
        List<String> lines = new ArrayList<>();
        try (Connection connection = LocalDatabases.connect(type, name); Statement statement = connection.createStatement()) {
            collect(statement, "column", "SELECT lower(table_name), lower(column_name), lower(data_type), is_nullable"
                    + " FROM information_schema.columns WHERE table_schema = " + schema, lines);
            collect(statement, "constraint", "SELECT lower(table_name), constraint_type, lower(constraint_name)"
                    + " FROM information_schema.table_constraints WHERE table_schema = " + schema
                    + " AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY', 'UNIQUE')", lines);
            collect(statement, "index", type == DatabaseType.MYSQL
                    ? "SELECT DISTINCT lower(table_name), lower(index_name) FROM information_schema.statistics"
                            + " WHERE table_schema = DATABASE()"
                    : "SELECT lower(tablename), lower(indexname) FROM pg_indexes WHERE schemaname = current_schema()",
                    lines);
            collect(statement, "generator row", "SELECT name, next_value FROM dbl_su_ids", lines);
        }
        return lines.stream().sorted().toList();
    }

    private static void collect(Statement statement, String kind, String sql, List<String> lines) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData columns = rows.getMetaData();
            while (rows.next()) {
                StringBuilder line = new StringBuilder(kind);
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    line.append(' ').append(String.valueOf(rows.getString(i)).toLowerCase(Locale.ROOT));
                }
                lines.add(line.toString());
            }
        }
    }
}
