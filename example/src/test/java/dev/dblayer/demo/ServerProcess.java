package dev.dblayer.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the demo in a server JVM of its own (Open Liberty's {@code server run}, which
 * execs the JVM, or {@code java -jar payara-micro.jar}), as Kubernetes runs it: in the foreground,
 * stopped by SIGTERM to its PID.
 */
final class ServerProcess {

    /** The JIT's quick tier only: the servers start in about half the time on 2 cores; nothing else changes. */
    private static final String QUICK_START = "-XX:TieredStopAtLevel=1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A Liberty server {@code name} of the installation {@code wlp}: the demo's server.xml, on {@code port}. */
    static ServerProcess liberty(Path wlp, String name, int port, Path war) throws IOException {
        return liberty(wlp, name, port, war, Map.of());
    }

    /** As {@link #liberty(Path, String, int, Path)}, with {@code environment} added to the server's (its settings). */
    static ServerProcess liberty(Path wlp, String name, int port, Path war, Map<String, String> environment)
            throws IOException {
        return liberty(wlp, name, port, war, environment, List.of());
    }

    /**
     * As {@link #liberty(Path, String, int, Path, Map)}, the JVM leading a process group of its own
     * (by {@code setsid}) as {@code liberty:run} in a terminal's foreground does, so that
     * {@link #interrupt()} is the terminal's Ctrl-C: SIGINT to every process of the group.
     */
    static ServerProcess libertyInAGroup(Path wlp, String name, int port, Path war, Map<String, String> environment)
            throws IOException {
        return liberty(wlp, name, port, war, environment, List.of("setsid"));
    }

    private static ServerProcess liberty(Path wlp, String name, int port, Path war, Map<String, String> environment,
            List<String> launcher) throws IOException {
        Path server = wlp.resolve("usr/servers").resolve(name);
        Files.createDirectories(server);
        Files.copy(wlp.resolve("usr/servers/demo/server.xml"), server.resolve("server.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(server.resolve("bootstrap.properties"),
                "http.port=" + port + "\napp.location=" + war.toAbsolutePath() + "\n");
        Path console = server.resolve("console-" + System.nanoTime() + ".log");
        List<String> command = new java.util.ArrayList<>(launcher);
        command.addAll(List.of(wlp.resolve("bin/server").toString(), "run", name));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().put("JVM_ARGS", QUICK_START);
        builder.environment().putAll(environment);
        return new ServerProcess(builder.start(), port, console);
    }

    /** Payara Micro deploying {@code war} at the root context on {@code port}, with its temporary files in {@code dir}. */
    static ServerProcess payara(Path microJar, Path dir, int port, Path war) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path console = dir.resolve("console-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, QUICK_START, "-Djava.io.tmpdir=" + tmp, "-jar",
                microJar.toString(), "--deploy", war.toAbsolutePath().toString(), "--port", String.valueOf(port),
                "--nocluster", "--contextroot", "/"))
                .redirectErrorStream(true).redirectOutput(console.toFile());
        return new ServerProcess(builder.start(), port, console);
    }

    int port() {
        return port;
    }

    Path logPath() {
        return log;
    }

    /** The server's console output so far (Liberty copies its messages there, Payara writes only there). */
    String log() {
        return RollingRestartIT.read(log);
    }

    /** Waits until {@code /health/ready} answers 200 on this instance. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server on port " + port + " exited with " + process.exitValue()
                        + " before it was ready; see " + log);
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the server on port " + port + " was not ready within " + timeout + "; see " + log);
    }

    /**
     * SIGINT to the process group the server's JVM leads ({@link #libertyInAGroup}), as Ctrl-C in
     * a terminal sends it: to the JVM and to every process it started that stayed in its group.
     */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + process.pid()).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -INT -- -" + process.pid() + " failed");
        }
    }

    /** SIGTERM to the server's JVM, as Kubernetes sends it. */
    void terminate() {
        process.toHandle().destroy();
    }

    void awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server on port " + port + " had not exited " + timeout
                    + " after SIGTERM; see " + log);
        }
    }

    /** Stops the server by its PID if it still runs: SIGTERM, then SIGKILL. Never throws. */
    void stop() {
        try {
            if (process.isAlive()) {
                process.toHandle().destroy();
                if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    process.toHandle().destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.toHandle().destroyForcibly();
        }
    }

    private static final long STOP_WAIT_SECONDS = 60;
}
