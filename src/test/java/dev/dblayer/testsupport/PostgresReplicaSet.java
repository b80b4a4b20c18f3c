package dev.dblayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A private PostgreSQL primary and one streaming hot standby on two free loopback ports, never the
 * shared server on 5432: each a {@link PostgresServerProcess} (data under
 * {@code /tmp/dblayer-pg-PORT}, run as the {@code postgres} OS user, trust authentication, user
 * {@code postgres}, database {@code postgres}). The standby is a {@code pg_basebackup -R} of the
 * primary, connecting with {@code application_name=}{@value #STANDBY_NAME}.
 * <pre>{@code
 * try (PostgresReplicaSet pair = PostgresReplicaSet.start(Replication.SYNCHRONOUS)) {
 *     ... "jdbc:postgresql://127.0.0.1:" + pair.primaryPort() + "/postgres" ...
 *     pair.stopPrimary();
 *     pair.promoteStandby();
 * }
 * }</pre>
 * In {@link Replication#SYNCHRONOUS} mode the primary has {@code synchronous_standby_names} naming
 * the standby and {@code synchronous_commit=on}: a commit returns once the standby has flushed its
 * WAL (not necessarily replayed it, so a read on the standby right after may still miss it). Only
 * the primary has that setting ({@code ALTER SYSTEM} after the base backup), so a promoted standby
 * does not wait for a standby of its own. {@code fsync} is off, as in {@link PostgresServerProcess}:
 * {@link #stopPrimary()} kills processes, not the machine, so nothing written is lost by it.
 * <p>
 * As seen with pgjdbc: a write on the standby fails with SQLState {@code 25006}
 * (read_only_sql_transaction); a multi-host URL over both ports with {@code targetServerType=primary}
 * or {@code secondary} reaches the right one, and right after {@link #promoteStandby()}
 * {@code primary} reaches the promoted standby, the dead primary's refused connection notwithstanding.
 */
public final class PostgresReplicaSet implements AutoCloseable {

    /** The standby's {@code application_name}, as {@code pg_stat_replication} shows it. */
    public static final String STANDBY_NAME = "dblayer_standby";

    private static final long WAIT_MILLIS = 30_000;

    /** How the primary waits for the standby at commit. */
    public enum Replication {
        /** A commit waits until the standby has flushed it ({@code sync_state = 'sync'}). */
        SYNCHRONOUS,
        /** A commit does not wait for the standby ({@code sync_state = 'async'}). */
        ASYNCHRONOUS
    }

    private final Replication replication;
    private final PostgresServerProcess primary;
    private final PostgresServerProcess standby;

    private PostgresReplicaSet(Replication replication) {
        this.replication = replication;
        this.primary = new PostgresServerProcess(RedisServerProcess.freePort());
        int standbyPort = RedisServerProcess.freePort();
        while (standbyPort == primary.port()) {
            standbyPort = RedisServerProcess.freePort();
        }
        this.standby = new PostgresServerProcess(standbyPort);
    }

    /**
     * Creates and starts the primary, makes the standby from a base backup of it, starts that and
     * returns once {@code pg_stat_replication} on the primary shows it streaming with the
     * {@code sync_state} asked for ({@code sync} or {@code async}).
     */
    public static PostgresReplicaSet start(Replication replication) {
        PostgresReplicaSet set = new PostgresReplicaSet(replication);
        try {
            set.startPrimary();
            set.startStandby();
            if (replication == Replication.SYNCHRONOUS) {
                set.execute(set.primary.port(), "ALTER SYSTEM SET synchronous_standby_names = '" + STANDBY_NAME + "'",
                        "ALTER SYSTEM SET synchronous_commit = 'on'", "SELECT pg_reload_conf()");
            }
            set.awaitStreaming();
            return set;
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
    }

    /** The primary's port on 127.0.0.1. */
    public int primaryPort() {
        return primary.port();
    }

    /** The standby's port on 127.0.0.1 (read-only until {@link #promoteStandby()}). */
    public int standbyPort() {
        return standby.port();
    }

    /**
     * Stops the primary as a crash would ({@code pg_ctl stop -m immediate}: no shutdown checkpoint,
     * sessions cut); in {@link Replication#SYNCHRONOUS} mode every commit it acknowledged is on the
     * standby. It is not started again.
     */
    public void stopPrimary() {
        primary.stopImmediately();
    }

    /**
     * Promotes the standby ({@code pg_ctl promote -w}) and returns once it accepts writes
     * ({@code pg_is_in_recovery()} is false).
     */
    public void promoteStandby() {
        PostgresServerProcess.asPostgres(standby.program("pg_ctl"), "-D", standby.data().toString(), "promote",
                "-w", "-t", "30");
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!"false".equals(queryString(standby.port(), "SELECT pg_is_in_recovery()::text"))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the standby was still in recovery 30 s after pg_ctl promote:\n"
                        + standby.log());
            }
            sleep(50);
        }
    }

    /**
     * Pauses WAL replay on the standby ({@code pg_wal_replay_pause()}) and returns once it is paused:
     * it still receives WAL but shows no new commit, and
     * {@code now() - pg_last_xact_replay_timestamp()} grows.
     */
    public void pauseReplay() {
        execute(standby.port(), "SELECT pg_wal_replay_pause()");
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!"paused".equals(queryString(standby.port(), "SELECT pg_get_wal_replay_pause_state()"))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("replay on the standby did not pause within 30 s");
            }
            sleep(20);
        }
    }

    /** Resumes WAL replay on the standby ({@code pg_wal_replay_resume()}). */
    public void resumeReplay() {
        execute(standby.port(), "SELECT pg_wal_replay_resume()");
    }

    /**
     * Stops both servers, whatever state they are in, and deletes both data directories; processes
     * that {@code pg_ctl} cannot stop are killed by PID. Calling it again does nothing.
     */
    @Override
    public void close() {
        try {
            standby.close();
        } finally {
            primary.close();
        }
    }

    private void startPrimary() {
        primary.init();
        try {
            Files.writeString(primary.data().resolve("pg_hba.conf"), String.join("\n",
                    "local all all trust",
                    "host all all 127.0.0.1/32 trust",
                    "local replication all trust",
                    "host replication all 127.0.0.1/32 trust", ""));
            Files.writeString(primary.data().resolve("postgresql.conf"), String.join("\n", "",
                    "wal_level = replica",
                    "max_wal_senders = 4",
                    "wal_keep_size = '64MB'",
                    "hot_standby = on",
                    "shared_buffers = '16MB'",
                    "max_connections = 40", ""), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        primary.startServer();
    }

    private void startStandby() {
        standby.prepareDirectory();
        // -R writes standby.signal and primary_conninfo (with application_name) into postgresql.auto.conf
        PostgresServerProcess.asPostgres(standby.program("pg_basebackup"),
                "-d", "host=127.0.0.1 port=" + primary.port() + " user=postgres application_name=" + STANDBY_NAME,
                "-D", standby.data().toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync");
        standby.startServer();
    }

    private void awaitStreaming() {
        String expected = replication == Replication.SYNCHRONOUS ? "sync" : "async";
        String seen = null;
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            seen = queryString(primary.port(), "SELECT state || ' ' || sync_state FROM pg_stat_replication"
                    + " WHERE application_name = '" + STANDBY_NAME + "'");
            if (("streaming " + expected).equals(seen)
                    && "streaming".equals(queryString(standby.port(), "SELECT status FROM pg_stat_wal_receiver"))) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("the standby was not streaming (" + expected + ") within 30 s; "
                + "pg_stat_replication on the primary shows " + seen + "\nprimary log:\n" + primary.log()
                + "\nstandby log:\n" + standby.log());
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    private void execute(int port, String... statements) {
        try (Connection connection = connect(port); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("failed on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row as text, or null if there is no row. */
    private static String queryString(int port, String sql) {
        try (Connection connection = connect(port); PreparedStatement query = connection.prepareStatement(sql);
                ResultSet result = query.executeQuery()) {
            return result.next() ? result.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
