package dev.dblayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL server for one test, run with the installed programs (found by
 * {@link PostgresBinaries}): its own data directory under {@code /tmp/dblayer-pg-PORT}, its own
 * loopback port, trust authentication; never the shared server on 5432. PostgreSQL refuses to run as root, so every command runs as the {@code postgres}
 * OS user ({@code runuser}), and the data directory belongs to it.
 * <pre>{@code
 * try (PostgresServerProcess pg = PostgresServerProcess.start()) {
 *     ... "jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres" ...
 * }
 * }</pre>
 * {@link #stop()} and {@link #start()} keep port and data, to test reconnecting;
 * {@link #startWithTls} makes one that accepts only TLS connections over TCP.
 */
public final class PostgresServerProcess implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final Path bin;
    private final int port;
    private final Path dir;
    private final Path data;
    private boolean running;
    private long postmasterPid;

    /** A server on {@code port} not created yet: {@link #init()} or a base backup into {@link #data()} comes next. */
    PostgresServerProcess(int port) {
        this.bin = PostgresBinaries.find();
        this.port = port;
        this.dir = Path.of("/tmp/dblayer-pg-" + port);
        this.data = dir.resolve("data");
    }

    /** Creates a new cluster on a free port and starts it. */
    public static PostgresServerProcess start() {
        PostgresServerProcess server = new PostgresServerProcess(RedisServerProcess.freePort());
        server.init();
        server.startServer();
        return server;
    }

    /**
     * Creates a new cluster on a free port with {@code ssl=on} and the given certificate and key
     * (PEM), where TCP clients must use TLS ({@code hostssl} only; plaintext is rejected), and starts it.
     */
    public static PostgresServerProcess startWithTls(Path certificate, Path key) {
        PostgresServerProcess server = new PostgresServerProcess(RedisServerProcess.freePort());
        server.init();
        try {
            Path serverCert = server.data.resolve("server.crt");
            Path serverKey = server.data.resolve("server.key");
            Files.copy(certificate, serverCert);
            Files.copy(key, serverKey);
            Files.writeString(server.data.resolve("pg_hba.conf"), String.join("\n",
                    "local all all trust",
                    "hostssl all all 127.0.0.1/32 trust",
                    "hostnossl all all 127.0.0.1/32 reject", ""));
            Files.writeString(server.data.resolve("postgresql.conf"),
                    "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n",
                    java.nio.file.StandardOpenOption.APPEND);
            run("chown", "postgres:postgres", serverCert.toString(), serverKey.toString(),
                    server.data.resolve("pg_hba.conf").toString());
            run("chmod", "600", serverKey.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.startServer();
        return server;
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Stops the server ({@code pg_ctl stop -m fast}: open sessions are cut); data and port are kept. */
    public synchronized void stop() {
        if (running) {
            asPostgres(program("pg_ctl"), "-D", data.toString(), "stop", "-m", "fast", "-w", "-t", "30");
            running = false;
        }
    }

    /** Starts the stopped server again on the same port and data. */
    public synchronized void restart() {
        stop();
        startServer();
    }

    /**
     * Stops the server and deletes its directory. Should {@code pg_ctl stop} fail (the server
     * crashed, or hangs), the postmaster and its children are killed by PID, so that no process is
     * left behind.
     */
    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            running = false; // killed below
        } finally {
            try {
                killLeftovers();
            } finally {
                deleteDirectory();
            }
        }
    }

    /** The data directory, {@code /tmp/dblayer-pg-PORT/data}, owned by {@code postgres}. */
    Path data() {
        return data;
    }

    /** What the server logged so far, for failure messages ({@code ""} if nothing). */
    String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** An empty {@code /tmp/dblayer-pg-PORT}, owned by {@code postgres}, without {@link #data()} yet. */
    void prepareDirectory() {
        deleteDirectory();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("chown", "postgres:postgres", dir.toString());
    }

    /** Creates a new cluster in {@link #data()} ({@code initdb}, trust authentication, user {@code postgres}). */
    void init() {
        prepareDirectory();
        asPostgres(program("initdb"), "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync");
    }

    /** Starts the server on {@link #data()} and waits until it accepts connections (a standby: read-only ones). */
    synchronized void startServer() {
        asPostgres(program("pg_ctl"), "-D", data.toString(), "-o",
                "-p " + port + " -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off",
                "-l", dir.resolve("server.log").toString(), "start", "-w", "-t", "30");
        running = true;
        postmasterPid = readPostmasterPid();
    }

    /** Stops the server as if it crashed ({@code pg_ctl stop -m immediate}: no shutdown checkpoint). */
    synchronized void stopImmediately() {
        if (running) {
            asPostgres(program("pg_ctl"), "-D", data.toString(), "stop", "-m", "immediate", "-w", "-t", "30");
            running = false;
        }
    }

    /** The path of the installed program {@code name} ({@code initdb}, {@code pg_ctl}, {@code pg_basebackup}). */
    String program(String name) {
        return bin.resolve(name).toString();
    }

    /** The postmaster's PID from {@code postmaster.pid} (its first line), or 0 if there is none. */
    private long readPostmasterPid() {
        try {
            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
            return lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Kills (SIGKILL) the postmaster started last (or the one {@code postmaster.pid} names, if a
     * start failed midway) and its children if it still runs: the last resort of {@link #close()}.
     * Only a process whose command is a PostgreSQL one is killed, in case the PID was reused.
     */
    private void killLeftovers() {
        long pid = postmasterPid != 0 ? postmasterPid : readPostmasterPid();
        if (pid == 0) {
            return;
        }
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().orElse("").contains("postgres"))
                .ifPresent(postmaster -> {
                    List<ProcessHandle> children = postmaster.descendants().toList();
                    postmaster.destroyForcibly();
                    children.forEach(ProcessHandle::destroyForcibly);
                    try {
                        postmaster.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // it was sent SIGKILL; nothing more can be done
                    }
                });
        postmasterPid = 0;
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

    /** Runs {@code command} as the {@code postgres} OS user; throws with its output if it fails. */
    static void asPostgres(String... command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    /** Runs {@code command}; throws with its output if it fails or takes over a minute. */
    static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            // pg_ctl start leaves the server holding no handle on this pipe (-l sends it to a file)
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish:\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command[0], e);
        }
    }
}
