package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import dev.dblayer.testsupport.LogCapture;
import dev.dblayer.testsupport.MapConfig;

/**
 * The HikariCP pool the module builds, and {@link Database} started outside a server, against the
 * local PostgreSQL and MariaDB.
 */
class ConnectionPoolIT {

    private static final String DATABASE = "dblayer_direct_pool";
    private static final String MISSING = "dblayer_direct_missing";

    private DirectDatabase db;

    @AfterEach
    void dropTheDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void mapsPoolSettingsOntoHikari(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        HikariDataSource pool = db.pool(db.settings("database.pool.size", "2", "database.pool.max-overflow", "3",
                "database.pool.timeout", "500ms", "database.pool.recycle", "10m"));
        assertEquals(2, pool.getMinimumIdle(), "minimumIdle is database.pool.size");
        assertEquals(5, pool.getMaximumPoolSize(), "maximumPoolSize is size + max-overflow");
        assertEquals(500, pool.getConnectionTimeout(), "connectionTimeout is database.pool.timeout");
        assertEquals(600_000, pool.getMaxLifetime(), "maxLifetime is database.pool.recycle");
        assertEquals(ConnectionPool.OVERFLOW_IDLE.toMillis(), pool.getIdleTimeout(),
                "connections above size are closed after 60 s idle");
        assertEquals(ConnectionPool.KEEPALIVE.toMillis(), pool.getKeepaliveTime(), "pre-ping turns on keepalive");

        HikariPoolMXBean counters = pool.getHikariPoolMXBean();
        assertNotNull(counters, "the pool has started and exposes its counters");
        awaitTrue(() -> counters.getTotalConnections() == 2, "the pool opens database.pool.size connections");
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                held.add(pool.getConnection());
            }
            assertEquals(5, counters.getActiveConnections(), "size + overflow connections can be held at once");
            assertEquals(5, counters.getTotalConnections(), "the overflow opened three more connections");
            assertThrows(SQLTransientConnectionException.class, pool::getConnection,
                    "a sixth connection is refused after the timeout");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void prePingOffTurnsKeepaliveOff(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        HikariDataSource pool = db.pool(db.settings("database.pool.pre-ping", "false"));
        assertEquals(0, pool.getKeepaliveTime(), "pre-ping=false turns keepalive off");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void exhaustedPoolThrowsAfterTheTimeout(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        HikariDataSource pool = db.pool(db.settings("database.pool.size", "1", "database.pool.max-overflow", "0",
                "database.pool.timeout", "500ms"));
        try (Connection held = pool.getConnection()) {
            assertTrue(held.isValid(1), "the one connection works");
            SQLTransientConnectionException error = assertThrows(SQLTransientConnectionException.class,
                    pool::getConnection, "a second connection is refused once the one connection is held");
            assertTrue(error.getMessage().contains("request timed out"), "the error says it timed out: "
                    + error.getMessage());
        }
        try (Connection again = pool.getConnection()) {
            assertTrue(again.isValid(1), "the connection is handed out again once it is returned");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void closingThePoolClosesItsServerConnections(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        HikariDataSource pool = db.pool(db.settings("database.pool.size", "3"));
        try (Connection connection = pool.getConnection()) {
            assertTrue(connection.isValid(1), "the pool connects");
        }
        awaitTrue(() -> serverConnections() >= 3, "the server sees the pool's connections before it is closed");
        pool.close();
        awaitTrue(() -> serverConnections() == 0, "no connection to " + DATABASE + " is left once the pool is closed");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void poolEchoLogsCheckOutAndCheckIn(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        Database started = started(db, "database.pool.echo", "true");
        db.closedAtEnd(started::close);
        List<String> messages;
        try (LogCapture capture = LogCapture.on("dev.dblayer.db.pool")) {
            assertInstanceOf(CheckoutLoggingDataSource.class, started.dataSource(), "pool echo wraps the DataSource");
            assertSame(HikariDataSource.class, started.dataSource().unwrap(HikariDataSource.class).getClass(),
                    "the wrapped DataSource is the module's pool");
            try (Connection connection = started.dataSource().getConnection()) {
                assertTrue(connection.isValid(1), "the echoing DataSource hands out working connections");
            }
            messages = capture.messages();
        }
        assertTrue(messages.stream().anyMatch(m -> m.matches("Connection \\w+ checked out from pool")),
                "a check-out is logged: " + messages);
        assertTrue(messages.stream().anyMatch(m -> m.matches("Connection \\w+ checked in to pool")),
                "a check-in is logged: " + messages);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void withoutPoolEchoTheDataSourceIsThePool(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        Database database = started(db);
        db.closedAtEnd(database::close);
        assertInstanceOf(HikariDataSource.class, database.dataSource(), "no wrapper without database.pool.echo");
        assertTrue(database.isDeployed(), "the unit was deployed at start");
        assertTrue(database.poolStatistics().isPresent(), "the pool's counters are available");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void unknownDatabaseIsReportedWithTheServersReason(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        Database database = new Database(new MapConfig(db.settingsMap("database.schema", MISSING,
                "database.pool.timeout", "1s", "database.fail-fast", "true")));
        IllegalStateException error = assertThrows(IllegalStateException.class, database::start,
                "fail-fast refuses to start on a database that does not exist");
        String reason = serverReason(type);
        assertTrue(error.getMessage().contains(reason), "the message gives the server's reason (" + reason + "): "
                + error.getMessage());
        assertFalse(error.getMessage().contains("No suitable driver"), "the driver was found: " + error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void unreachableDatabaseIsReportedOnFirstUseWithoutFailFast(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        Database database = new Database(new MapConfig(db.settingsMap("database.schema", MISSING,
                "database.pool.timeout", "1s")));
        db.closedAtEnd(database::close);
        database.start();
        assertFalse(database.isDeployed(), "the unit is not deployed, yet the application starts");
        DatabaseUnavailableException error = assertThrows(DatabaseUnavailableException.class,
                database::entityManagerFactory, "using the unit reports the database as unavailable");
        assertTrue(error.getMessage().contains(serverReason(type)), "the message gives the server's reason ("
                + serverReason(type) + "): " + error.getMessage());
    }

    @Test
    void wrongPasswordOnMariadbIsReportedAsAccessDenied() throws Exception {
        String password = "wrong-pw-5519";
        db = DirectDatabase.fresh(DatabaseType.MYSQL, DATABASE);
        Database database = new Database(new MapConfig(db.settingsMap("database.password", password,
                "database.pool.timeout", "1s", "database.fail-fast", "true")));
        IllegalStateException error = assertThrows(IllegalStateException.class, database::start,
                "fail-fast refuses to start with a wrong password");
        assertTrue(error.getMessage().contains("Access denied for user 'root'"),
                "the message gives the server's reason: " + error.getMessage());
        assertFalse(error.getMessage().contains("No suitable driver"), "the driver was found: " + error.getMessage());
        assertFalse(error.getMessage().contains(password), "the message hides the password: " + error.getMessage());
    }

    /** What each server says when asked for {@link #MISSING}. */
    private static String serverReason(DatabaseType type) {
        return type == DatabaseType.MYSQL ? "Unknown database '" + MISSING + "'"
                : "database \"" + MISSING + "\" does not exist";
    }

    private static Database started(DirectDatabase db, String... settings) {
        Database database = new Database(new MapConfig(db.settingsMap(settings)));
        database.start();
        return database;
    }

    private long serverConnections() {
        try {
            return db.serverConnections();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the server's connections", e);
        }
    }

    /** Polls for up to five seconds: the server and the pool's threads catch up on their own time. */
    private static void awaitTrue(BooleanSupplier condition, String expectation) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within 5 s: " + expectation);
            }
            Thread.sleep(50);
        }
    }
}
