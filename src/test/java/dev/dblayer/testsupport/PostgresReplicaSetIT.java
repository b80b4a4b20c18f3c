package dev.dblayer.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.testsupport.PostgresReplicaSet.Replication;

/**
 * {@link PostgresReplicaSet} in both modes: rows reach the standby, which refuses writes; the
 * replication state is the one asked for; a promoted standby keeps what the crashed primary
 * acknowledged and accepts writes; paused replay holds rows back and shows growing lag.
 */
class PostgresReplicaSetIT {

    private static PostgresReplicaSet start(Replication replication) {
        long started = System.nanoTime();
        PostgresReplicaSet set = PostgresReplicaSet.start(replication);
        System.out.printf("PostgresReplicaSet %s started in %d ms%n", replication, (System.nanoTime() - started) / 1_000_000);
        return set;
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** pgjdbc's multi-host URL over both servers, asking for a {@code targetServerType}. */
    private static String serverPort(PostgresReplicaSet set, String targetServerType) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + set.primaryPort()
                + ",127.0.0.1:" + set.standbyPort() + "/postgres?targetServerType=" + targetServerType, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT inet_server_port()")) {
            result.next();
            return result.getString(1);
        }
    }

    private static void execute(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    private static boolean hasRow(int port, String value) {
        try {
            return query(port, "SELECT value FROM items WHERE value = '" + value + "'") != null;
        } catch (SQLException e) {
            return false; // the table is not there yet
        }
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @ParameterizedTest
    @EnumSource(Replication.class)
    void rowsReachTheStandbyWhichRefusesWrites(Replication replication) throws Exception {
        try (PostgresReplicaSet set = start(replication)) {
            assertEquals(replication == Replication.SYNCHRONOUS ? "sync" : "async",
                    query(set.primaryPort(), "SELECT sync_state FROM pg_stat_replication WHERE application_name = '"
                            + PostgresReplicaSet.STANDBY_NAME + "'"));
            assertEquals("streaming", query(set.primaryPort(), "SELECT state FROM pg_stat_replication"));
            assertEquals("true", query(set.standbyPort(), "SELECT pg_is_in_recovery()::text"));
            assertEquals(String.valueOf(set.primaryPort()), serverPort(set, "primary"), "pgjdbc tells the primary");
            assertEquals(String.valueOf(set.standbyPort()), serverPort(set, "secondary"), "and the standby");

            execute(set.primaryPort(), "CREATE TABLE items (value text PRIMARY KEY)");
            execute(set.primaryPort(), "INSERT INTO items VALUES ('replicated')");
            assertTrue(eventually(() -> hasRow(set.standbyPort(), "replicated")), "the row reaches the standby");

            SQLException refused = assertThrows(SQLException.class,
                    () -> execute(set.standbyPort(), "INSERT INTO items VALUES ('on the standby')"));
            assertEquals("25006", refused.getSQLState(), "read_only_sql_transaction: " + refused.getMessage());
            assertFalse(hasRow(set.primaryPort(), "on the standby"));
        }
    }

    @ParameterizedTest
    @EnumSource(Replication.class)
    void promotedStandbyKeepsTheRowsAndAcceptsWrites(Replication replication) throws Exception {
        try (PostgresReplicaSet set = start(replication)) {
            execute(set.primaryPort(), "CREATE TABLE items (value text PRIMARY KEY)");
            execute(set.primaryPort(), "INSERT INTO items VALUES ('before the crash')");
            assertEquals(String.valueOf(set.primaryPort()), serverPort(set, "primary"));
            assertEquals(String.valueOf(set.standbyPort()), serverPort(set, "secondary"));
            if (replication == Replication.ASYNCHRONOUS) {
                // no promise without synchronous replication: wait until it got there
                assertTrue(eventually(() -> hasRow(set.standbyPort(), "before the crash")));
            }
            // SYNCHRONOUS: no waiting, the acknowledged commit must survive the crash right away
            set.stopPrimary();
            assertThrows(SQLException.class, () -> connect(set.primaryPort()).close(), "the primary is down");

            long started = System.nanoTime();
            set.promoteStandby();
            System.out.printf("PostgresReplicaSet %s promoted in %d ms%n", replication,
                    (System.nanoTime() - started) / 1_000_000);

            assertEquals("false", query(set.standbyPort(), "SELECT pg_is_in_recovery()::text"));
            assertTrue(hasRow(set.standbyPort(), "before the crash"), "the acknowledged row is on the promoted standby");
            execute(set.standbyPort(), "INSERT INTO items VALUES ('after the promotion')");
            assertTrue(hasRow(set.standbyPort(), "after the promotion"));
            // pgjdbc remembered the standby as a secondary (hostRecheckSeconds, 10 s by default)
            started = System.nanoTime();
            assertEquals(String.valueOf(set.standbyPort()), serverPort(set, "primary"),
                    "a multi-host URL asking for the primary reaches the promoted standby");
            System.out.printf("pgjdbc targetServerType=primary reached the promoted standby in %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    @ParameterizedTest
    @EnumSource(Replication.class)
    void pausedReplayHoldsRowsBackAndLagGrows(Replication replication) throws Exception {
        try (PostgresReplicaSet set = start(replication)) {
            execute(set.primaryPort(), "CREATE TABLE items (value text PRIMARY KEY)");
            execute(set.primaryPort(), "INSERT INTO items VALUES ('first')");
            assertTrue(eventually(() -> hasRow(set.standbyPort(), "first")));

            set.pauseReplay();
            // in SYNCHRONOUS mode too the commit returns: synchronous_commit=on waits for flush, not replay
            execute(set.primaryPort(), "INSERT INTO items VALUES ('held back')");
            assertTrue(hasRow(set.primaryPort(), "held back"));
            Thread.sleep(300);
            assertFalse(hasRow(set.standbyPort(), "held back"), "replay is paused");

            String lagSql = "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())::text";
            String before = query(set.standbyPort(), lagSql);
            assertNotNull(before, "the standby replayed a transaction before the pause");
            Thread.sleep(1_000);
            double grown = Double.parseDouble(query(set.standbyPort(), lagSql)) - Double.parseDouble(before);
            assertTrue(grown >= 0.9, "the replay lag grew by " + grown + " s in one second");
            assertFalse(hasRow(set.standbyPort(), "held back"));

            set.resumeReplay();
            assertTrue(eventually(() -> hasRow(set.standbyPort(), "held back")), "replay resumed");
            assertEquals("not paused", query(set.standbyPort(), "SELECT pg_get_wal_replay_pause_state()"));
        }
    }
}
