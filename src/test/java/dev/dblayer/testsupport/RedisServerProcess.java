package dev.dblayer.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} for one test, on a free loopback port, without persistence; never
 * the shared server on 6379. Started as a child process and stopped by destroying it:
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", "secret")) {
 *     ... redis.port() ...
 * }
 * }</pre>
 * {@link #startTls} starts one that speaks only TLS. {@link #stop()} and {@link #restart()} keep
 * the port, to test reconnecting.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 15;

    private final int port;
    private final List<String> command;
    private final Path dir;
    private final StringBuffer output = new StringBuffer();
    private final String readyMarker;
    private Process process;

    private RedisServerProcess(int port, List<String> command, Path dir, String readyMarker) {
        this.port = port;
        this.command = command;
        this.dir = dir;
        this.readyMarker = readyMarker;
    }

    /**
     * Starts a sentinel ({@code redis-server CONF --sentinel}) on a free port, monitoring the primary
     * {@code master} on {@code primaryPort} with quorum 2 and the given timeouts.
     */
    public static RedisServerProcess startSentinel(String master, int primaryPort, int downAfterMillis,
            int failoverTimeoutMillis) {
        int port = freePort();
        Path dir = tempDir();
        Path conf = dir.resolve("sentinel.conf");
        try {
            Files.writeString(conf, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
                    "sentinel monitor " + master + " 127.0.0.1 " + primaryPort + " 2",
                    "sentinel down-after-milliseconds " + master + " " + downAfterMillis,
                    "sentinel failover-timeout " + master + " " + failoverTimeoutMillis,
                    "sentinel parallel-syncs " + master + " 1", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisServerProcess sentinel = new RedisServerProcess(port,
                List.of("redis-server", conf.toString(), "--sentinel"), dir, "+monitor master");
        sentinel.startProcess();
        return sentinel;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("redis-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's process id, while it runs. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process runs (not stopped or killed). */
    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Kills the server with SIGKILL, as a crashed node; {@link #restart()} starts it again. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts {@code redis-server} on a free port with the given extra arguments. */
    public static RedisServerProcess start(String... extraArgs) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port)));
        args.addAll(Arrays.asList(extraArgs));
        return launch(port, args);
    }

    /**
     * Starts {@code redis-server} speaking only TLS on a free port, with the given certificate and
     * key (PEM); clients need not present certificates.
     */
    public static RedisServerProcess startTls(Path certificate, Path key, String... extraArgs) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("--port", "0", "--tls-port", String.valueOf(port),
                "--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no"));
        args.addAll(Arrays.asList(extraArgs));
        return launch(port, args);
    }

    private static RedisServerProcess launch(int port, List<String> args) {
        Path dir = tempDir();
        List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()));
        command.addAll(args);
        RedisServerProcess server = new RedisServerProcess(port, command, dir, "Ready to accept connections");
        server.startProcess();
        return server;
    }

    /** The port it listens on (plain or TLS). */
    public int port() {
        return port;
    }

    /** What the server printed so far, for failure messages. */
    public String output() {
        return output.toString();
    }

    /** Stops the server (kills the process); {@link #restart()} starts it again on the same port. */
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
        }
    }

    /** Starts the stopped server again, same port and arguments, empty (no persistence). */
    public void restart() {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    private void startProcess() {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run redis-server (is it installed?): " + e.getMessage(), e);
        }
        CountDownLatch ready = new CountDownLatch(1);
        Process started = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.contains(readyMarker)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process was stopped
            }
        }, "redis-server-" + port + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !started.isAlive()) {
                stop();
                throw new IllegalStateException("redis-server " + command + " did not start:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while starting redis-server", e);
        }
    }

    /** A port nobody listens on at the moment. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
