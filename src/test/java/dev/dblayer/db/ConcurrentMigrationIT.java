package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.testsupport.JavaProcess;
import dev.dblayer.testsupport.LocalDatabases;

/**
 * Issue 16: three instances starting at the same moment with {@code database.schema-generation=migrate}
 * against one empty database (three JVMs, {@link StartupNode}) apply each migration exactly once:
 * one applies all three (the last takes two seconds), the others wait for it and find the schema up
 * to date, and all three come up. Two rounds on PostgreSQL and on MariaDB.
 */
class ConcurrentMigrationIT {

    private static final int ROUNDS = 2;
    private static final int INSTANCES = 3;
    private static final Duration HEAD_START = Duration.ofMillis(4000);
    private static final Duration EXIT_BOUND = Duration.ofSeconds(90);
    private static final Pattern TROUBLE = Pattern.compile("(?m)^(WARNING|SEVERE) dev\\.dblayer.*|.*Exception.*");

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void threeInstancesStartingTogetherApplyEachMigrationOnce(DatabaseType type) throws Exception {
        String locations = "classpath:migrations/concurrent/" + (type == DatabaseType.MYSQL ? "mysql" : "postgresql");
        for (int round = 1; round <= ROUNDS; round++) {
            String name = "dblayer_mig_race_" + (type == DatabaseType.MYSQL ? "my" : "pg") + "_" + round;
            LocalDatabases.dropDatabase(type, name);
            LocalDatabases.ensureDatabase(type, name);
            try {
                List<String> outputs = race(type, name, round, locations);
                long applied = outputs.stream().filter(o -> o.contains("dblayer: applied 3 migrations")).count();
                long upToDate = outputs.stream().filter(o -> o.contains("is up to date")).count();
                assertEquals(1, applied, "round " + round + " on " + type + ": one instance applies the three"
                        + " migrations:\n" + String.join("\n----\n", outputs));
                assertEquals(INSTANCES - 1, upToDate, "round " + round + " on " + type + ": the others find the"
                        + " schema up to date:\n" + String.join("\n----\n", outputs));
                for (String output : outputs) {
                    assertFalse(TROUBLE.matcher(output).find(), "no dblayer warning, no exception:\n" + output);
                }
                assertEquals(List.of("1 true", "2 true", "3 true"), LocalDatabases.rows(type, name,
                        "SELECT version, CASE WHEN success THEN 'true' ELSE 'false' END FROM flyway_schema_history"
                                + " WHERE version IS NOT NULL ORDER BY installed_rank"), "each version once, in order");
                assertEquals(List.of("4 4"), LocalDatabases.rows(type, name, "SELECT COUNT(*), COUNT(label) FROM mig_item"),
                        "V1's three rows and V3's one, once each, all labelled");
            } finally {
                LocalDatabases.dropDatabase(type, name);
            }
        }
    }

    private static List<String> race(DatabaseType type, String name, int round, String locations) {
        String startAt = Long.toString(System.currentTimeMillis() + HEAD_START.toMillis());
        List<JavaProcess> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= INSTANCES; i++) {
                nodes.add(JavaProcess.start(StartupNode.class, Map.of(), type.name(), name, startAt,
                        "m" + round + "-" + i, locations));
            }
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                JavaProcess node = nodes.get(i);
                int exit = node.awaitExit(EXIT_BOUND);
                String output = node.output();
                outputs.add(output);
                System.out.println("ConcurrentMigrationIT " + type + " round " + round + " instance " + (i + 1)
                        + ": exit " + exit + ", " + output.lines().filter(l -> l.contains("dblayer: applied")
                                || l.contains("up to date") || l.startsWith(StartupNode.READY))
                        .map(String::strip).toList());
                assertEquals(0, exit, "instance " + (i + 1) + " of round " + round + " on " + type
                        + " comes up and exits 0:\n" + output);
                assertTrue(output.contains(StartupNode.READY), output);
            }
            return outputs;
        } finally {
            nodes.forEach(JavaProcess::close);
        }
    }
}
