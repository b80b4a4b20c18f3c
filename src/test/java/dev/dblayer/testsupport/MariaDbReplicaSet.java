package dev.dblayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB primary and one replica on two free loopback ports, never the shared server on
 * 3306: two {@code mariadbd} child processes, each with its own data directory and socket under
 * {@code /tmp/dblayer-mariadb-PORT}, started with {@code --no-defaults},
 * {@code --bind-address=127.0.0.1}, {@code --skip-name-resolve}, {@code --user=root} (the tests run
 * as root, which {@code mariadbd} refuses without it), binary log on both, server ids 1 and 2.
 * {@code root} has an empty password and is reached over TCP from 127.0.0.1
 * ({@code mariadb-install-db --auth-root-authentication-method=normal}). The replica replicates
 * with GTID ({@code CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos}) as {@code root} and runs with
 * {@code read_only=ON}.
 * <pre>{@code
 * try (MariaDbReplicaSet pair = MariaDbReplicaSet.start()) {
 *     ... "jdbc:mysql://127.0.0.1:" + pair.primaryPort() + "/" ...
 *     pair.stopPrimary();
 *     pair.promoteReplica();
 * }
 * }</pre>
 * Found on this machine (Debian 12): MariaDB 10.11 ({@code 10.11.19-MariaDB-0+deb12u1}). It
 * answers both {@code SHOW REPLICA STATUS} and {@code SHOW SLAVE STATUS} with the same columns,
 * still named the old way: {@code Slave_IO_Running}, {@code Slave_SQL_Running},
 * {@code Seconds_Behind_Master} (NULL while the SQL thread is stopped), {@code Gtid_IO_Pos},
 * {@code Using_Gtid}. {@code read_only} does not hold back a user with the {@code READ_ONLY ADMIN}
 * privilege, which {@code root}'s {@code ALL PRIVILEGES} includes (so root writes on the replica);
 * {@code SUPER} alone no longer does, and a user with neither is refused with error 1290
 * ({@code --read-only option}): to see the replica refuse a write, use such a user.
 */
public final class MariaDbReplicaSet implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 30_000;

    private final Server primary;
    private final Server replica;

    private MariaDbReplicaSet() {
        this.primary = new Server(RedisServerProcess.freePort(), 1);
        int replicaPort = RedisServerProcess.freePort();
        while (replicaPort == primary.port) {
            replicaPort = RedisServerProcess.freePort();
        }
        this.replica = new Server(replicaPort, 2);
    }

    /**
     * Creates and starts both servers, points the replica at the primary and returns once both
     * replication threads run ({@code Slave_IO_Running} and {@code Slave_SQL_Running} {@code Yes}).
     */
    public static MariaDbReplicaSet start() {
        MariaDbReplicaSet set = new MariaDbReplicaSet();
        try {
            set.primary.install();
            set.replica.install();
            set.primary.start();
            set.replica.start("--read-only=ON", "--skip-slave-start");
            // both were made by the same mariadb-install-db: replicate only what follows
            String position = set.primary.queryString("SELECT @@GLOBAL.gtid_binlog_pos");
            set.replica.execute("SET GLOBAL gtid_slave_pos = '" + position + "'",
                    "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + set.primary.port
                            + ", MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_CONNECT_RETRY = 1,"
                            + " MASTER_HEARTBEAT_PERIOD = 1, MASTER_USE_GTID = slave_pos",
                    "START SLAVE");
            set.awaitReplicating();
            return set;
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
    }

    /** The primary's port on 127.0.0.1. */
    public int primaryPort() {
        return primary.port;
    }

    /** The replica's port on 127.0.0.1 ({@code read_only=ON} until {@link #promoteReplica()}). */
    public int replicaPort() {
        return replica.port;
    }

    /** Kills the primary with SIGKILL, as a crash; it is not started again. */
    public void stopPrimary() {
        primary.kill();
    }

    /**
     * Makes the replica a primary: {@code STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=OFF}.
     * Whatever its SQL thread had not applied yet is lost.
     */
    public void promoteReplica() {
        replica.execute("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = OFF");
    }

    /**
     * Stops applying on the replica ({@code STOP SLAVE SQL_THREAD}): it still receives the primary's
     * binary log into its relay log, but new rows do not appear, so a test can make lag.
     */
    public void stopReplication() {
        replica.execute("STOP SLAVE SQL_THREAD");
    }

    /** Applies again on the replica ({@code START SLAVE SQL_THREAD}). */
    public void startReplication() {
        replica.execute("START SLAVE SQL_THREAD");
    }

    /** The replica's {@code SHOW REPLICA STATUS} row, column name to value, or an empty map if it replicates from nothing. */
    public Map<String, String> replicaStatus() {
        return replica.statusRow("SHOW REPLICA STATUS");
    }

    /**
     * Stops both servers, whatever state they are in (SIGTERM, then SIGKILL after 30 s), and deletes
     * both directories. Calling it again does nothing.
     */
    @Override
    public void close() {
        try {
            replica.close();
        } finally {
            primary.close();
        }
    }

    private void awaitReplicating() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        Map<String, String> status = Map.of();
        while (System.currentTimeMillis() < deadline) {
            status = replicaStatus();
            if ("Yes".equals(status.get("Slave_IO_Running")) && "Yes".equals(status.get("Slave_SQL_Running"))) {
                return;
            }
            Server.sleep(50);
        }
        throw new IllegalStateException("the replica did not replicate within 30 s: " + status
                + "\nreplica log:\n" + replica.log());
    }

    /** One {@code mariadbd}, run as a child process of this JVM. */
    private static final class Server {

        private final int port;
        private final int serverId;
        private final Path dir;
        private final Path data;
        private Process process;

        Server(int port, int serverId) {
            this.port = port;
            this.serverId = serverId;
            this.dir = Path.of("/tmp/dblayer-mariadb-" + port);
            this.data = dir.resolve("data");
        }

        void install() {
            deleteDirectory();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            run(List.of(program("mariadb-install-db"), "--no-defaults", "--datadir=" + data, "--user=root",
                    "--auth-root-authentication-method=normal", "--skip-name-resolve", "--skip-test-db"),
                    dir.resolve("install.log"));
        }

        void start(String... extra) {
            List<String> command = new ArrayList<>(List.of(program("mariadbd"), "--no-defaults",
                    "--datadir=" + data, "--port=" + port, "--socket=" + dir.resolve("mariadbd.sock"),
                    "--bind-address=127.0.0.1", "--skip-name-resolve", "--user=root",
                    "--pid-file=" + dir.resolve("mariadbd.pid"), "--log-error=" + dir.resolve("error.log"),
                    "--server-id=" + serverId, "--log-bin=mariadb-bin", "--relay-log=relay-bin",
                    "--binlog-format=ROW", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=2"));
            command.addAll(List.of(extra));
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
            }
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (true) {
                try (Connection connection = connect()) {
                    return;
                } catch (SQLException e) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("mariadbd on port " + port + " exited with "
                                + process.exitValue() + ":\n" + log());
                    }
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("mariadbd on port " + port + " did not accept connections"
                                + " within 30 s: " + e.getMessage() + "\n" + log());
                    }
                    sleep(50);
                }
            }
        }

        void kill() {
            if (process != null) {
                process.destroyForcibly();
                await(process, 10);
                process = null;
            }
        }

        void close() {
            try {
                if (process != null) {
                    process.destroy(); // SIGTERM: a clean shutdown
                    if (!await(process, 30)) {
                        process.destroyForcibly();
                        await(process, 10);
                    }
                    process = null;
                }
            } finally {
                deleteDirectory();
            }
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?connectTimeout=5000", "root", "");
        }

        void execute(String... statements) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("failed on 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
        }

        String queryString(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(sql)) {
                return result.next() ? result.getString(1) : null;
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed on 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
        }

        Map<String, String> statusRow(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(sql)) {
                Map<String, String> row = new java.util.LinkedHashMap<>();
                if (result.next()) {
                    for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                        row.put(result.getMetaData().getColumnLabel(i), result.getString(i));
                    }
                }
                return row;
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed on 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
        }

        String log() {
            try {
                Path log = dir.resolve("error.log");
                return Files.exists(log) ? Files.readString(log) : "(no error.log)";
            } catch (IOException e) {
                return "(error.log unreadable: " + e.getMessage() + ")";
            }
        }

        private void deleteDirectory() {
            if (!Files.exists(dir)) {
                return;
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a leftover directory in /tmp is harmless
            }
        }

        /** {@code name} on the PATH, else in /usr/sbin or /usr/bin (Debian keeps mariadbd in /usr/sbin). */
        private static String program(String name) {
            List<Path> directories = new ArrayList<>(PostgresBinaries.pathDirectories(
                    System.getenv().getOrDefault("PATH", "")));
            directories.addAll(List.of(Path.of("/usr/sbin"), Path.of("/usr/bin")));
            return directories.stream().map(directory -> directory.resolve(name)).filter(Files::isExecutable)
                    .findFirst().map(Path::toString)
                    .orElseThrow(() -> new IllegalStateException("no " + name + " on the PATH, in /usr/sbin or /usr/bin"
                            + " (Debian: apt-get install mariadb-server)"));
        }

        private static void run(List<String> command, Path output) {
            try {
                Process install = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!install.waitFor(60, TimeUnit.SECONDS)) {
                    install.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
                }
                if (install.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted running " + command.get(0), e);
            }
        }

        private static boolean await(Process process, int seconds) {
            try {
                return process.waitFor(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                return false;
            }
        }

        static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
