package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.testsupport.MapConfig;
import dev.dblayer.testsupport.PostgresReplicaSet;
import dev.dblayer.testsupport.PostgresReplicaSet.Replication;

/**
 * Primary failover on PostgreSQL processes of the test's own: {@code database.host} lists the
 * primary and its streaming standby; under a steady write load the primary crashes
 * ({@code pg_ctl stop -m immediate}) and the standby is promoted. Writes succeed again on the new
 * primary without a restart of the application, and with synchronous replication every commit
 * that was acknowledged is there. With asynchronous replication the loss is measured, not
 * asserted: it is what the primary had acknowledged and not yet sent. The figures go to
 * {@code target/failover-results.txt} (docs/databases.md quotes them).
 */
class PrimaryFailoverIT {

    private static final String DATABASE = "dblayer_failover";
    private static final int WRITERS = 4;
    static final Path RESULTS = Path.of("target/failover-results.txt");

    @ParameterizedTest
    @EnumSource(Replication.class)
    void writesResumeOnThePromotedStandbyAndAcknowledgedCommitsSurviveSynchronousReplication(Replication replication)
            throws Exception {
        try (PostgresReplicaSet servers = PostgresReplicaSet.start(replication)) {
            Database database = Databases.start(new MapConfig(Map.of(
                    "database.host", "127.0.0.1:" + servers.primaryPort() + ",127.0.0.1:" + servers.standbyPort(),
                    "database.schema", DATABASE,
                    "database.create-database", "true",
                    "database.pool.size", "4",
                    "database.pool.max-overflow", "0",
                    "database.pool.timeout", "1s")));
            try {
                long stopped;
                long promoted;
                long resumed;
                FailoverLoad load = new FailoverLoad(database, WRITERS);
                try {
                    Thread.sleep(1_500);
                    int beforeCrash = load.acknowledged();
                    assertTrue(beforeCrash > 50, "a steady load before the crash: " + beforeCrash);
                    stopped = System.nanoTime();
                    servers.stopPrimary();
                    servers.promoteStandby();
                    promoted = System.nanoTime();
                    resumed = load.firstSuccessAfter(promoted, 30_000);
                    assertTrue(resumed > 0, "writes succeed again within 30 s of the promotion");
                    Thread.sleep(500);
                } finally {
                    load.close();
                }
                Set<String> lost = load.lostOn("jdbc:postgresql://127.0.0.1:" + servers.standbyPort() + "/" + DATABASE,
                        "postgres");
                String line = String.format("postgresql %s: %d commits acknowledged, %d failed; primary stopped and"
                        + " standby promoted in %d ms; first write on the new primary %d ms after the promotion"
                        + " (%d ms after the crash); acknowledged commits lost: %d%n", replication.name().toLowerCase(),
                        load.acknowledged(), load.failures(), (promoted - stopped) / 1_000_000,
                        (resumed - promoted) / 1_000_000, (resumed - stopped) / 1_000_000, lost.size());
                record(line);
                if (replication == Replication.SYNCHRONOUS) {
                    assertEquals(Set.of(), lost, "synchronous replication loses no acknowledged commit: " + line);
                }
            } finally {
                database.close();
            }
        }
    }

    static synchronized void record(String line) throws IOException {
        System.out.print(line);
        Files.writeString(RESULTS, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
