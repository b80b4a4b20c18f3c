package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.dblayer.db.TransactionDemarcation.RollbackRule;
import dev.dblayer.health.DatabaseReadiness;
import dev.dblayer.health.Readinesses;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.testsupport.Await;
import dev.dblayer.testsupport.MapConfig;
import dev.dblayer.testsupport.MariaDbReplicaSet;
import jakarta.transaction.Transactional.TxType;

/**
 * What this machine's MariaDB (10.11) allows of replicas and failover, on two {@code mariadbd}
 * processes of the test's own ({@link MariaDbReplicaSet}, GTID replication, asynchronous as MariaDB
 * is by default): {@code @Replica} reads on the replica, its lag ({@code Seconds_Behind_Master})
 * in the readiness data, and a crashed primary whose replica is promoted while writers run through
 * Connector/J's multi-host failover ({@code database.host=primary,replica}). The application's user
 * has no SUPER, so the replica's {@code read_only} holds it until the promotion.
 */
class MariaDbReplicationIT {

    private static final String DATABASE = "dblayer_mariadb_repl";
    private static final String USER = "dblayer";

    @Test
    void replicaReadsRunOnTheReplicaAndItsLagShowsInTheReadinessData() throws Exception {
        try (MariaDbReplicaSet servers = MariaDbReplicaSet.start()) {
            createUser(servers.primaryPort());
            Map<String, String> settings = Map.of(
                    "database.type", "mysql",
                    "database.host", "127.0.0.1",
                    "database.port", Integer.toString(servers.primaryPort()),
                    "database.user", USER,
                    "database.schema", DATABASE,
                    "database.create-database", "true",
                    "database.replica.host", "127.0.0.1",
                    "database.replica.port", Integer.toString(servers.replicaPort()));
            Database unprivileged = Databases.start(new MapConfig(settings));
            DatabaseReadiness unprivilegedCheck = Readinesses.database(unprivileged, "500ms");
            try {
                Map<String, Object> data = Readinesses.data(Readinesses.call(unprivilegedCheck));
                assertEquals("UP", data.get("replica.status"), data.toString());
                assertTrue(String.valueOf(data.get("replica.lag")).startsWith("unknown"), "a user who may not read"
                        + " the replication status sees no lag, and the replica is still UP: " + data);
            } finally {
                Readinesses.close(unprivilegedCheck);
                unprivileged.close();
            }
            grantReplicaMonitor(servers.primaryPort()); // global privileges apply to new connections
            Database database = Databases.start(new MapConfig(settings));
            DatabaseReadiness check = Readinesses.database(database, "500ms");
            try {
                EntityManagerProducer requests = new EntityManagerProducer(database);
                String first = "replicated-" + UUID.randomUUID();
                write(requests, first);
                assertTrue(Await.until(Duration.ofSeconds(10), () -> countOnReplica(requests, first) == 1),
                        "the row reaches the replica");
                assertEquals(Integer.toString(servers.replicaPort()), onReplica(requests, "SELECT @@port"),
                        "@Replica reads run on the replica");
                assertEquals(0L, Readinesses.data(Readinesses.call(check)).get("replica.lagMs"),
                        "caught up, seen with REPLICA MONITOR");

                delayReplication(servers.replicaPort(), 3);
                String held = "delayed-" + UUID.randomUUID();
                write(requests, held);
                Thread.sleep(1_500);
                Map<String, Object> data = Readinesses.data(Readinesses.call(check));
                assertEquals("UP", data.get("replica.status"), data.toString());
                assertTrue(((Number) data.get("replica.lagMs")).longValue() >= 1_000,
                        "Seconds_Behind_Master counts the delay: " + data);
                assertEquals(0, countOnReplica(requests, held), "not on the replica yet");
                assertTrue(Await.until(Duration.ofSeconds(10), () -> countOnReplica(requests, held) == 1),
                        "applied after the delay");
            } finally {
                Readinesses.close(check);
                database.close();
            }
        }
    }

    @Test
    void writesResumeOnThePromotedReplicaThroughConnectorJsFailover() throws Exception {
        try (MariaDbReplicaSet servers = MariaDbReplicaSet.start()) {
            createUser(servers.primaryPort());
            Database database = Databases.start(new MapConfig(Map.of(
                    "database.type", "mysql",
                    "database.host", "127.0.0.1:" + servers.primaryPort() + ",127.0.0.1:" + servers.replicaPort(),
                    "database.user", USER,
                    "database.schema", DATABASE,
                    "database.create-database", "true",
                    "database.pool.size", "4",
                    "database.pool.max-overflow", "0",
                    "database.pool.timeout", "1s")));
            try {
                long stopped;
                long promoted;
                long resumed;
                FailoverLoad load = new FailoverLoad(database, 4);
                try {
                    Thread.sleep(1_500);
                    assertTrue(load.acknowledged() > 50, "a steady load before the crash: " + load.acknowledged());
                    stopped = System.nanoTime();
                    servers.stopPrimary();
                    Thread.sleep(200); // the replica notices nothing: it is promoted by hand, as an operator would
                    servers.promoteReplica();
                    promoted = System.nanoTime();
                    resumed = load.firstSuccessAfter(promoted, 30_000);
                    assertTrue(resumed > 0, "writes succeed again within 30 s of the promotion");
                    Thread.sleep(500);
                } finally {
                    load.close();
                }
                Set<String> lost = load.lostOn("jdbc:mysql://127.0.0.1:" + servers.replicaPort() + "/" + DATABASE, USER);
                PrimaryFailoverIT.record(String.format("mariadb asynchronous: %d commits acknowledged, %d failed;"
                        + " primary killed and replica promoted %d ms later; first write on the new primary %d ms"
                        + " after the promotion (%d ms after the crash); acknowledged commits lost: %d%n",
                        load.acknowledged(), load.failures(), (promoted - stopped) / 1_000_000,
                        (resumed - promoted) / 1_000_000, (resumed - stopped) / 1_000_000, lost.size()));
            } finally {
                database.close();
            }
        }
    }

    /** An application user without SUPER or READ ONLY ADMIN, whom the replica's read_only stops. */
    private static void createUser(int primaryPort) throws SQLException {
        try (Connection root = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + primaryPort + "/", "root", "");
                Statement statement = root.createStatement()) {
            statement.execute("CREATE USER '" + USER + "'@'127.0.0.1'");
            statement.execute("GRANT ALL ON `" + DATABASE + "`.* TO '" + USER + "'@'127.0.0.1'");
        }
    }

    /** What MariaDB 10.5+ needs for SHOW REPLICA STATUS; granted on the primary, replicated. */
    private static void grantReplicaMonitor(int primaryPort) throws SQLException {
        try (Connection root = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + primaryPort + "/", "root", "");
                Statement statement = root.createStatement()) {
            statement.execute("GRANT REPLICA MONITOR ON *.* TO '" + USER + "'@'127.0.0.1'");
        }
    }

    private static void delayReplication(int replicaPort, int seconds) throws SQLException {
        try (Connection root = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + replicaPort + "/", "root", "");
                Statement statement = root.createStatement()) {
            statement.execute("STOP SLAVE");
            statement.execute("CHANGE MASTER TO MASTER_DELAY = " + seconds);
            statement.execute("START SLAVE");
        }
    }

    private static void write(EntityManagerProducer requests, String name) throws Exception {
        UnitsOfWork units = requests.unitsOfWork();
        try {
            TransactionDemarcation.execute(units, TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
                units.current().persist(new Item(name));
                return null;
            });
        } finally {
            requests.close(units);
        }
    }

    private static long countOnReplica(EntityManagerProducer requests, String name) {
        UnitsOfWork units = requests.unitsOfWork();
        try {
            return units.replica().createQuery("SELECT COUNT(i) FROM Item i WHERE i.name = :name", Long.class)
                    .setParameter("name", name).getSingleResult();
        } finally {
            requests.close(units);
        }
    }

    private static String onReplica(EntityManagerProducer requests, String sql) {
        UnitsOfWork units = requests.unitsOfWork();
        try {
            return String.valueOf(units.replica().createNativeQuery(sql).getSingleResult());
        } finally {
            requests.close(units);
        }
    }
}
