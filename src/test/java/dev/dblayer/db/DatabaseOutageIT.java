package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.LogCapture;
import dev.dblayer.testsupport.MapConfig;
import dev.dblayer.testsupport.TcpProxy;

/**
 * The database is down at startup (a port that accepts and never answers) while many requests ask
 * for the persistence unit: one attempt at a time, at most one a second, everybody else answered at
 * once; the unit is deployed once the database answers; and nothing works after close().
 */
class DatabaseOutageIT {

    private static final String DATABASE = "dblayer_outage";
    private static final Duration POOL_TIMEOUT = Duration.ofSeconds(1);
    private static final int REQUESTERS = 50;
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    @Test
    void oneAttemptAtATimeAndOneASecondWhileTheDatabaseIsDown() throws Exception {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        Logger logger = Logger.getLogger(Database.class.getName());
        Level level = logger.getLevel();
        logger.setLevel(Level.FINE);
        ExecutorService requests = Executors.newFixedThreadPool(REQUESTERS);
        try (TcpProxy proxy = TcpProxy.to(5432).mode(TcpProxy.Mode.BLACKHOLE);
                LogCapture log = LogCapture.on(Database.class.getName())) {
            Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
            settings.put("database.host", "127.0.0.1");
            settings.put("database.port", Integer.toString(proxy.port()));
            settings.put("database.pool.timeout", POOL_TIMEOUT.toMillis() + "ms");
            Database database = Databases.start(new MapConfig(settings));
            try {
                long start = System.nanoTime();
                long end = start + OUTAGE.toNanos();
                List<Future<Long>> slowest = new ArrayList<>();
                for (int i = 0; i < REQUESTERS; i++) {
                    slowest.add(requests.submit(() -> slowestFailure(database, end)));
                }
                long slowestMillis = 0;
                for (Future<Long> each : slowest) {
                    slowestMillis = Math.max(slowestMillis, each.get(60, TimeUnit.SECONDS));
                }
                double elapsedSeconds = (System.nanoTime() - start) / 1e9;
                long attempts = log.messages(Level.FINE).stream()
                        .filter(message -> message.startsWith("dblayer: attempt to deploy")).count();
                System.out.printf("%d requesters for %.1f s: %d attempts, slowest answer %d ms%n",
                        REQUESTERS, elapsedSeconds, attempts, slowestMillis);
                assertTrue(slowestMillis <= POOL_TIMEOUT.toMillis() + 1000, "every request is answered within"
                        + " database.pool.timeout + 1 s; the slowest took " + slowestMillis + " ms");
                assertTrue(attempts >= 2, "attempts go on during the outage: " + attempts);
                assertTrue(attempts <= elapsedSeconds + 1, attempts + " attempts in " + elapsedSeconds
                        + " s: at most one a second");

                proxy.mode(TcpProxy.Mode.FORWARD);
                assertTrue(deployedWithin(database, Duration.ofSeconds(10)), "the unit is deployed once the"
                        + " database answers");
            } finally {
                Databases.close(database);
            }
            DatabaseUnavailableException closed = assertThrows(DatabaseUnavailableException.class,
                    database::entityManagerFactory, "after close() nothing redeploys");
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
            assertThrows(DatabaseUnavailableException.class, database::dataSource, "nor hands out its pool");
        } finally {
            requests.shutdownNow();
            logger.setLevel(level);
        }
    }

    /** Asks for the unit every 20 ms until {@code end}; answers the longest a failed call took, in ms. */
    private static long slowestFailure(Database database, long end) throws InterruptedException {
        long slowest = 0;
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            DatabaseUnavailableException failure = assertThrows(DatabaseUnavailableException.class,
                    database::entityManagerFactory, "the database is down");
            assertEquals("08001", ((java.sql.SQLException) failure.getCause()).getSQLState(),
                    "a transient connection failure underneath, for the 503");
            slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            Thread.sleep(20);
        }
        return slowest;
    }

    private static boolean deployedWithin(Database database, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            try {
                database.entityManagerFactory();
                return true;
            } catch (DatabaseUnavailableException stillDown) {
                Thread.sleep(200);
            }
        }
        return false;
    }
}
