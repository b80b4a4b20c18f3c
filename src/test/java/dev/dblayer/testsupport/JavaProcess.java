package dev.dblayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running a {@code main} class of the test class path: for tests that need several
 * real processes (instances starting together, one killed with SIGKILL), never threads sharing one
 * heap. Its output goes to a file; it is stopped by its PID:
 * <pre>{@code
 * try (JavaProcess node = JavaProcess.start(Node.class, Map.of("redis.port", "6400"), "arg")) {
 *     node.awaitOutput("started", Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class JavaProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private JavaProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code main} in a new JVM (the running one's {@code java} and class path), with
     * {@code properties} as {@code -D} system properties and {@code args} as its arguments.
     */
    public static JavaProcess start(Class<?> main, Map<String, String> properties, String... args) {
        return start(main, properties, Map.of(), args);
    }

    /** As {@link #start(Class, Map, String...)}, with {@code environment} added to the process's environment. */
    public static JavaProcess start(Class<?> main, Map<String, String> properties, Map<String, String> environment,
            String... args) {
        return start(System.getProperty("java.class.path"), main.getName(), properties, environment, args);
    }

    /** As {@link #start(Class, Map, Map, String...)}, on class path {@code classPath} instead of the running one's. */
    public static JavaProcess start(String classPath, String main, Map<String, String> properties,
            Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classPath);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(main);
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("jvm-" + main.substring(main.lastIndexOf('.') + 1) + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return new JavaProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process id, for {@code kill}. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the output contains {@code text}, or fails naming it and showing the output; also
     * fails at once when the process ends without printing it.
     */
    public void awaitOutput(String text, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive() && !output().contains(text)) {
                throw new AssertionError("process " + pid() + " ended (exit " + process.exitValue()
                        + ") without printing \"" + text + "\":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + pid() + " did not print \"" + text + "\" within "
                        + timeout + ":\n" + output());
            }
            sleep(50);
        }
    }

    /** Waits for the process to end by itself and answers its exit code; kills it after {@code timeout}. */
    public int awaitExit(java.time.Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError("process " + pid() + " did not end within " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Stops the process with SIGKILL: no shutdown hook runs, as when a pod is killed. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process with SIGTERM (shutdown hooks run) and waits up to 30 s, then kills it. */
    public void terminate() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover log in the temp directory is harmless
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
