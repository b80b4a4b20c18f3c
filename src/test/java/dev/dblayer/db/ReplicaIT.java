package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.dblayer.db.TransactionDemarcation.RollbackRule;
import dev.dblayer.health.DatabaseReadiness;
import dev.dblayer.health.Readinesses;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.testsupport.Await;
import dev.dblayer.testsupport.LogCapture;
import dev.dblayer.testsupport.MapConfig;
import dev.dblayer.testsupport.PostgresReplicaSet;
import dev.dblayer.testsupport.TcpProxy;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional.TxType;

/**
 * {@code database.replica.*} on a real streaming standby ({@link PostgresReplicaSet}), reached
 * through a {@link TcpProxy} so that the test can take it away: {@code @Replica} reads run on the
 * standby and cannot write; its lag shows in the readiness data; while it is down, reads go to the
 * primary with one WARNING (or fail, with {@code database.replica.fallback=false}) and the
 * {@code database} check stays UP; once it is back, reads return to it.
 */
class ReplicaIT {

    private static final String DATABASE = "dblayer_replica";

    private static PostgresReplicaSet servers;
    private static TcpProxy toStandby;
    private static Database database;
    private static EntityManagerProducer requests;

    @BeforeAll
    static void start() {
        servers = PostgresReplicaSet.start(PostgresReplicaSet.Replication.ASYNCHRONOUS);
        toStandby = TcpProxy.to(servers.standbyPort()).mode(TcpProxy.Mode.FORWARD);
        database = Databases.start(new MapConfig(settings("true")));
        requests = new EntityManagerProducer(database);
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
        if (toStandby != null) {
            toStandby.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    private static Map<String, String> settings(String fallback) {
        Map<String, String> settings = new HashMap<>();
        settings.put("database.host", "127.0.0.1");
        settings.put("database.port", Integer.toString(servers.primaryPort()));
        settings.put("database.schema", DATABASE);
        settings.put("database.create-database", "true");
        settings.put("database.pool.size", "2");
        settings.put("database.replica.host", "127.0.0.1");
        settings.put("database.replica.port", Integer.toString(toStandby.port()));
        settings.put("database.replica.pool.size", "2");
        settings.put("database.replica.fallback", fallback);
        return settings;
    }

    @Test
    void replicaReadsRunOnTheStandbyAndCannotWrite() throws Exception {
        String name = "replicated-" + UUID.randomUUID();
        write(name);
        assertTrue(Await.until(Duration.ofSeconds(10), () -> countOnReplica(name) == 1), "the row reaches the replica");
        assertTrue(readsOnStandby(),
                "@Replica reads run on the standby");

        IllegalStateException persist = assertThrows(IllegalStateException.class,
                () -> onReplica(em -> {
                    em.persist(new Item("never-" + name));
                    return null;
                }));
        assertTrue(persist.getMessage().contains("read-only"), persist.getMessage());
        assertThrows(RuntimeException.class, () -> onReplica(em -> em.createNativeQuery(
                "INSERT INTO dbl_item (name) VALUES ('never')").executeUpdate()), "an update needs a transaction,"
                + " which the replica's EntityManager cannot begin");
        assertThrows(IllegalStateException.class, () -> onReplica(EntityManager::getTransaction));
    }

    @Test
    void theReplicasLagShowsInTheReadinessDataWhileItsReplayIsPaused() throws Exception {
        DatabaseReadiness check = Readinesses.database(database, "500ms");
        try {
            servers.pauseReplay();
            String name = "held-back-" + UUID.randomUUID();
            write(name);
            Thread.sleep(1_200);
            Map<String, Object> data = Readinesses.data(Readinesses.call(check));
            assertEquals("UP", data.get("replica.status"), data.toString());
            assertTrue(((Number) data.get("replica.lagMs")).longValue() >= 1_000, "the lag grows while replay"
                    + " is paused: " + data);
            assertEquals(0, countOnReplica(name), "the row is not on the replica yet");

            servers.resumeReplay();
            assertTrue(Await.until(Duration.ofSeconds(10), () -> countOnReplica(name) == 1), "replayed");
            assertTrue(Await.until(Duration.ofSeconds(10), () -> Long.valueOf(0).equals(
                    Readinesses.data(Readinesses.call(check)).get("replica.lagMs"))), "no lag once all is replayed");
        } finally {
            servers.resumeReplay();
            Readinesses.close(check);
        }
    }

    @Test
    void whileTheReplicaIsDownReadsGoToThePrimaryWithOneWarningAndReturnWhenItIsBack() throws Exception {
        DatabaseReadiness check = Readinesses.database(database, "500ms");
        try (LogCapture log = LogCapture.on(ReplicaRoute.class.getName())) {
            String name = "while-down-" + UUID.randomUUID();
            toStandby.mode(TcpProxy.Mode.CLOSED);
            write(name);
            assertEquals(1, countOnReplica(name), "read at once from the primary, which has the row");
            assertFalse(readsOnStandby(),
                    "on the primary");
            assertEquals(1, log.messages(Level.WARNING).size(), "one WARNING per outage: " + log.messages());

            HealthCheckResponse ready = Readinesses.call(check);
            Map<String, Object> data = Readinesses.data(ready);
            assertEquals(HealthCheckResponse.Status.UP, ready.getStatus(), "the replica never takes the pod out: " + data);
            assertEquals("DOWN", data.get("replica.status"), data.toString());
            assertEquals("primary (fallback)", data.get("replica.reads"), data.toString());

            toStandby.mode(TcpProxy.Mode.FORWARD);
            assertTrue(Await.until(Duration.ofSeconds(10), ReplicaIT::readsOnStandby),
                    "reads return to the standby");
            assertEquals(1, log.messages(Level.WARNING).size(), "still one WARNING: " + log.messages());
            assertTrue(log.messages(Level.INFO).stream().anyMatch(m -> m.contains("answers again")), log.messages().toString());
            assertEquals("replica", Readinesses.data(Readinesses.call(check)).get("replica.reads"));
        } finally {
            toStandby.mode(TcpProxy.Mode.FORWARD);
            Readinesses.close(check);
        }
    }

    @Test
    void withoutFallbackAReadWhileTheReplicaIsDownFailsAsUnavailable() throws Exception {
        toStandby.mode(TcpProxy.Mode.CLOSED); // before its pool has any connection to lose
        Database strict = Databases.start(new MapConfig(settings("false")));
        try {
            UnitsOfWork units = new EntityManagerProducer(strict).unitsOfWork();
            try {
                RuntimeException failure = assertThrows(RuntimeException.class, () -> units.replica()
                        .createQuery("SELECT COUNT(i) FROM Item i", Long.class).getSingleResult());
                Throwable cause = failure;
                while (cause != null && !(cause instanceof SQLTransientConnectionException
                        && cause.getMessage().contains("database.replica.fallback=false"))) {
                    cause = cause.getCause();
                }
                assertTrue(cause != null,
                        "a transient connection failure (503) that says why: " + failure);
            } finally {
                units.closeAll();
            }
        } finally {
            toStandby.mode(TcpProxy.Mode.FORWARD);
            strict.close();
        }
    }

    private static void write(String name) throws Exception {
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

    /** Whether the replica's EntityManager reads on the standby (in recovery), not on the primary. */
    private static boolean readsOnStandby() {
        Object inRecovery = onReplica(em -> em.createNativeQuery("SELECT pg_is_in_recovery()").getSingleResult());
        return Boolean.TRUE.equals(inRecovery);
    }

    private static long countOnReplica(String name) {
        return onReplica(em -> em.createQuery("SELECT COUNT(i) FROM Item i WHERE i.name = :name", Long.class)
                .setParameter("name", name).getSingleResult());
    }

    private static <T> T onReplica(Function<EntityManager, T> read) {
        UnitsOfWork units = requests.unitsOfWork();
        try {
            return read.apply(units.replica());
        } finally {
            requests.close(units);
        }
    }
}
