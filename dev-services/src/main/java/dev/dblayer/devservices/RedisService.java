package dev.dblayer.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dblayer.redis.RedisSettings;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/**
 * A {@code redis-server} process, a child of the server's JVM: the one on the PATH when there is
 * one (built for this machine, and as new as its packages), else the binary that
 * {@code com.github.codemonstur:embedded-redis} bundles for this platform (Redis 6.2), copied to
 * {@code DATA/bin}. Its data (append-only file) is in {@code DATA/redis}, its log in
 * {@code DATA/redis.log}; it asks for the configured user and password, written to its
 * configuration file (readable by its owner only), never to its command line.
 */
final class RedisService implements DevService {

    private static final Logger LOG = Logger.getLogger(RedisService.class.getName());
    private static final Duration START_WAIT = Duration.ofSeconds(20);
    private static final long STOP_WAIT_SECONDS = 20;
    private static final Pattern VERSION = Pattern.compile("v=(\\S+)");

    private final Process process;
    private final int port;
    private final String version;
    private final String binary;
    private final Path data;

    private RedisService(Process process, int port, String version, String binary, Path data) {
        this.process = process;
        this.port = port;
        this.version = version;
        this.binary = binary;
        this.data = data;
    }

    static RedisService start(DevSettings dev, RedisSettings settings) throws IOException, InterruptedException {
        return start(dev, settings, onPath().orElseGet(() -> bundled(dev.data())));
    }

    /** As {@link #start(DevSettings, RedisSettings)}, with the {@code redis-server} binary given. */
    static RedisService start(DevSettings dev, RedisSettings settings, Path binary)
            throws IOException, InterruptedException {
        Path data = dev.data().resolve("redis");
        // "redis": on Debian, redis-server is a link to redis-check-rdb, the executable a process shows
        LeftOver.stop(data.resolve("redis.pid"), "redis");
        if (dev.reset()) {
            Directories.delete(data);
        }
        Files.createDirectories(data);
        int port = Loopback.freePort();
        Path conf = data.resolve("redis.conf");
        Files.deleteIfExists(conf);
        Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(conf, configuration(port, data, settings));
        Process process = new ProcessBuilder(binary.toString(), conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(dev.data().resolve("redis.log").toFile()))
                .start();
        RedisService redis = new RedisService(process, port, version(binary), describe(binary), data);
        redis.awaitListening(dev.data().resolve("redis.log"));
        return redis;
    }

    static String configuration(int port, Path data, RedisSettings settings) {
        StringBuilder conf = new StringBuilder()
                .append("port ").append(port).append('\n')
                .append("bind ").append(Loopback.HOST).append('\n')
                .append("dir ").append(quoted(data.toString())).append('\n')
                .append("pidfile ").append(quoted(data.resolve("redis.pid").toString())).append('\n')
                .append("appendonly yes\n")
                .append("save \"\"\n");
        if (!settings.password().isEmpty()) {
            if (settings.username().isPresent()) {
                conf.append("user ").append(quoted(settings.username().get())).append(" on ")
                        .append(quoted(">" + settings.password())).append(" ~* &* +@all\n");
            } else {
                conf.append("requirepass ").append(quoted(settings.password())).append('\n');
            }
        }
        return conf.toString();
    }

    /** A string in a Redis configuration file: in double quotes, with backslash escapes. */
    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return List.of(path.split(java.io.File.pathSeparator)).stream()
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The bundled binary for this platform, copied to {@code data/bin} (once: its name carries its version). */
    static Path bundled(Path data) {
        OsArchitecture platform = OsArchitecture.detectOSandArchitecture();
        String resource = ExecutableProvider.newProvidedVersionsMap().get(platform);
        if (resource == null) {
            throw new DevServicesException("dblayer dev services: no redis-server on the PATH, and embedded-redis"
                    + " bundles none for " + platform.os + " " + platform.arch + "; install Redis, or start one at the"
                    + " configured address");
        }
        String name = Path.of(resource).getFileName().toString();
        Path binary = data.resolve("bin").resolve(name);
        try {
            if (!Files.isExecutable(binary)) {
                Files.createDirectories(binary.getParent());
                try (InputStream in = ExecutableProvider.class.getResourceAsStream("/" + name)) {
                    if (in == null) {
                        throw new IOException("the resource " + name + " is not in embedded-redis's jar");
                    }
                    Path part = binary.resolveSibling(name + ".part");
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    part.toFile().setExecutable(true, true);
                    Files.move(part, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            return binary;
        } catch (IOException e) {
            throw new DevServicesException("dblayer dev services: could not copy the bundled redis-server to "
                    + binary + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Path binary) {
        return onPath().filter(binary::equals).isPresent() ? "redis-server on the PATH, " + binary
                : "redis-server bundled by embedded-redis, " + binary;
    }

    private static String version(Path binary) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        Matcher matcher = VERSION.matcher(output);
        return matcher.find() ? matcher.group(1) : "(version unknown)";
    }

    private void awaitListening(Path log) throws InterruptedException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new DevServicesException("dblayer dev services: redis-server exited with " + process.exitValue()
                        + " at start; its log: " + log);
            }
            // the PID file comes just after the port: with both, a later start finds this one if it is left running
            if (Loopback.answers(Loopback.HOST, port, Duration.ofMillis(500)) && Files.exists(data.resolve("redis.pid"))) {
                return;
            }
            Thread.sleep(50);
        }
        stop();
        throw new DevServicesException("dblayer dev services: redis-server did not listen on port " + port
                + " within " + START_WAIT.toSeconds() + " s; its log: " + log);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String describe() {
        return "Redis " + version + " (" + binary + ") on " + Loopback.HOST + ":" + port + ", data in " + data;
    }

    /** SIGTERM, on which Redis writes its append-only file and exits; SIGKILL if it has not within 20 s. */
    @Override
    public void stop() {
        try {
            process.destroy();
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warning("dblayer dev services: Redis on port " + port + " had not stopped " + STOP_WAIT_SECONDS
                        + " s after SIGTERM; killed");
                process.destroyForcibly().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dblayer dev services: Redis on port " + port + " did not stop cleanly", e);
        }
    }
}
