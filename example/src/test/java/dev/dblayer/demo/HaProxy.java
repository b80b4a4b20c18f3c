package dev.dblayer.demo;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (Debian's package) in front of two instances, configured as a deployment would be:
 * health checks on {@code /health/ready} every 500 ms, a refused connection, an empty response or a
 * 503 retried (up to 3 times) on the other instance ({@code option redispatch}). A new connection to
 * the server per request ({@code http-server-close}), so that a retry never resends a request that
 * reached an application on a reused connection. Started in the foreground, stopped by its PID.
 */
final class HaProxy {

    /** Fields of {@code show stat}'s CSV: current sessions, retries, redispatches, status. */
    private static final int CURRENT_SESSIONS = 4;
    private static final int RETRIES = 15;
    private static final int REDISPATCHES = 16;
    private static final int STATUS = 17;

    private final Process process;
    private final int port;
    private final Path socket;
    private final Path log;

    private HaProxy(Process process, int port, Path socket, Path log) {
        this.process = process;
        this.port = port;
        this.socket = socket;
        this.log = log;
    }

    static HaProxy start(Path dir, int port, int serverA, int serverB) throws IOException {
        Files.createDirectories(dir);
        Path socket = dir.resolve("admin.sock");
        Files.deleteIfExists(socket);
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "    maxconn 512",
                "    stats socket " + socket + " mode 600 level admin",
                "defaults",
                "    mode http",
                "    timeout connect 1s",
                "    timeout client 30s",
                "    timeout server 30s",
                "    timeout queue 30s",
                "    option http-server-close",
                "    retries 3",
                "    option redispatch 1",
                "    retry-on conn-failure empty-response 503",
                "frontend demo",
                "    bind 127.0.0.1:" + port,
                "    default_backend demo",
                "backend demo",
                "    balance roundrobin",
                "    option httpchk GET /health/ready",
                "    http-check expect status 200",
                "    default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2",
                "    server a 127.0.0.1:" + serverA + " check",
                "    server b 127.0.0.1:" + serverB + " check",
                ""));
        Path log = dir.resolve("haproxy.log");
        // Debian puts it in /usr/sbin, which is not on every user's PATH
        String binary = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
        Process process = new ProcessBuilder(binary, "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new HaProxy(process, port, socket, log);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until HAProxy's health checks have every server of {@code servers} UP. */
    void awaitUp(List<String> servers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> status = Map.of();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("HAProxy exited with " + process.exitValue() + ": " + RollingRestartIT.read(log));
            }
            try {
                Map<String, String> now = status();
                status = now;
                if (servers.stream().allMatch(server -> "UP".equals(now.get(server)))) {
                    return;
                }
            } catch (IOException e) {
                // the socket is not there yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("HAProxy did not have " + servers + " UP within " + timeout + ": " + status);
    }

    /**
     * What Kubernetes does before SIGTERM when the pod has a {@code preStop} sleep: takes
     * {@code server} out of the rotation (state {@code drain}), then waits until no request is open
     * on it. {@link #ready} puts it back.
     */
    void drain(String server, Duration timeout) throws IOException, InterruptedException {
        command("set server demo/" + server + " state drain");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if ("0".equals(stat(server, CURRENT_SESSIONS))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("requests were still open on " + server + " " + timeout + " after it was drained");
    }

    void ready(String server) throws IOException {
        command("set server demo/" + server + " state ready");
    }

    /** Each server's status from the admin socket's {@code show stat}. */
    private Map<String, String> status() throws IOException {
        Map<String, String> status = new HashMap<>();
        for (String server : List.of("a", "b")) {
            status.put(server, stat(server, STATUS));
        }
        return status;
    }

    /** The backend's retries and redispatches so far (fields wretr and wredis of {@code show stat}). */
    String retries() throws IOException {
        return "HAProxy retried " + stat("BACKEND", RETRIES) + " connections and redispatched " + stat("BACKEND", REDISPATCHES)
                + " requests to the other instance";
    }

    /** Field {@code field} of {@code show stat}'s CSV line of {@code server}. */
    private String stat(String server, int field) throws IOException {
        for (String line : command("show stat").split("\n")) {
            String[] fields = line.split(",", -1);
            if (fields.length > STATUS && fields[0].equals("demo") && fields[1].equals(server)) {
                return fields[field];
            }
        }
        return null;
    }

    private String command(String command) throws IOException {
        StringBuilder answer = new StringBuilder();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                answer.append(StandardCharsets.US_ASCII.decode(buffer));
                buffer.clear();
            }
        }
        return answer.toString();
    }

    /** Stops HAProxy by its PID. Never throws. */
    void stop() {
        try {
            process.toHandle().destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.toHandle().destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.toHandle().destroyForcibly();
        }
    }
}
