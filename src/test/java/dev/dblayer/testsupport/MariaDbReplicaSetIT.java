package dev.dblayer.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

/**
 * {@link MariaDbReplicaSet}: rows reach the read-only replica over GTID replication; a user
 * without {@code READ_ONLY ADMIN} cannot write there; a promoted replica keeps the rows and takes
 * writes after the primary was killed; a stopped SQL thread holds new rows back.
 */
class MariaDbReplicaSetIT {

    private static MariaDbReplicaSet start() {
        long started = System.nanoTime();
        MariaDbReplicaSet set = MariaDbReplicaSet.start();
        System.out.printf("MariaDbReplicaSet started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        return set;
    }

    private static Connection connect(int port, String user) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?connectTimeout=5000", user, "");
    }

    private static void execute(int port, String user, String... statements) throws SQLException {
        try (Connection connection = connect(port, user); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String query(int port, String sql) throws SQLException {
        try (Connection connection = connect(port, "root"); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    private static boolean hasRow(int port, String value) {
        try {
            return query(port, "SELECT value FROM app.items WHERE value = '" + value + "'") != null;
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

    /** A database {@code app} with a table {@code items} and a user {@code app} with all rights on it only. */
    private static void createSchema(MariaDbReplicaSet set) throws SQLException {
        execute(set.primaryPort(), "root", "CREATE DATABASE app",
                "CREATE TABLE app.items (value VARCHAR(64) PRIMARY KEY)",
                "CREATE USER 'app'@'127.0.0.1'", "GRANT ALL ON app.* TO 'app'@'127.0.0.1'");
    }

    @Test
    void rowsReachTheReadOnlyReplica() throws Exception {
        try (MariaDbReplicaSet set = start()) {
            assertEquals("0", query(set.primaryPort(), "SELECT @@read_only"));
            assertEquals("1", query(set.replicaPort(), "SELECT @@read_only"));
            Map<String, String> status = set.replicaStatus();
            System.out.println("SHOW REPLICA STATUS: " + status);
            assertEquals("Slave_Pos", status.get("Using_Gtid"));
            assertEquals(String.valueOf(set.primaryPort()), status.get("Master_Port"));
            assertEquals("Yes", status.get("Slave_IO_Running"));
            assertEquals("Yes", status.get("Slave_SQL_Running"));
            assertEquals(status.keySet(), set.replicaStatus().keySet());
            try (Connection root = connect(set.replicaPort(), "root"); Statement statement = root.createStatement();
                    ResultSet old = statement.executeQuery("SHOW SLAVE STATUS")) {
                assertTrue(old.next(), "SHOW SLAVE STATUS answers too");
                assertEquals("Yes", old.getString("Slave_SQL_Running"));
            }

            createSchema(set);
            execute(set.primaryPort(), "app", "INSERT INTO app.items VALUES ('replicated')");
            assertTrue(eventually(() -> hasRow(set.replicaPort(), "replicated")), "the row reaches the replica");
            assertTrue(eventually(() -> "0".equals(set.replicaStatus().get("Seconds_Behind_Master"))));

            SQLException refused = assertThrows(SQLException.class,
                    () -> execute(set.replicaPort(), "app", "INSERT INTO app.items VALUES ('on the replica')"));
            assertEquals(1290, refused.getErrorCode(), "ER_OPTION_PREVENTS_STATEMENT: " + refused.getMessage());
            assertFalse(hasRow(set.replicaPort(), "on the replica"));

            // root's ALL PRIVILEGES include READ_ONLY ADMIN, which read_only does not hold back
            execute(set.replicaPort(), "root", "INSERT INTO app.items VALUES ('by root on the replica')");
            assertTrue(hasRow(set.replicaPort(), "by root on the replica"));
            assertFalse(hasRow(set.primaryPort(), "by root on the replica"));
        }
    }

    @Test
    void promotedReplicaKeepsTheRowsAndAcceptsWrites() throws Exception {
        try (MariaDbReplicaSet set = start()) {
            createSchema(set);
            execute(set.primaryPort(), "app", "INSERT INTO app.items VALUES ('before the crash')");
            assertTrue(eventually(() -> hasRow(set.replicaPort(), "before the crash")));

            set.stopPrimary();
            assertThrows(SQLException.class, () -> connect(set.primaryPort(), "root").close(), "the primary is down");
            set.promoteReplica();

            assertEquals("0", query(set.replicaPort(), "SELECT @@read_only"));
            assertEquals(Map.of(), set.replicaStatus(), "it replicates from nothing any more");
            assertTrue(hasRow(set.replicaPort(), "before the crash"));
            execute(set.replicaPort(), "app", "INSERT INTO app.items VALUES ('after the promotion')");
            assertTrue(hasRow(set.replicaPort(), "after the promotion"));
        }
    }

    @Test
    void stoppedReplicationHoldsNewRowsBack() throws Exception {
        try (MariaDbReplicaSet set = start()) {
            createSchema(set);
            execute(set.primaryPort(), "app", "INSERT INTO app.items VALUES ('first')");
            assertTrue(eventually(() -> hasRow(set.replicaPort(), "first")));

            set.stopReplication();
            execute(set.primaryPort(), "app", "INSERT INTO app.items VALUES ('held back')");
            String written = query(set.primaryPort(), "SELECT @@gtid_binlog_pos");
            assertTrue(eventually(() -> written.equals(set.replicaStatus().get("Gtid_IO_Pos"))),
                    "the replica received the new row's event " + written);
            Map<String, String> status = set.replicaStatus();
            System.out.println("SHOW REPLICA STATUS with the SQL thread stopped: " + status);
            assertEquals("Yes", status.get("Slave_IO_Running"));
            assertEquals("No", status.get("Slave_SQL_Running"));
            assertNull(status.get("Seconds_Behind_Master"), "no lag figure while the SQL thread is stopped");
            Thread.sleep(300);
            assertFalse(hasRow(set.replicaPort(), "held back"), "not applied while stopped");

            set.startReplication();
            assertTrue(eventually(() -> hasRow(set.replicaPort(), "held back")), "applied once started again");
            assertEquals("Yes", set.replicaStatus().get("Slave_SQL_Running"));
        }
    }
}
