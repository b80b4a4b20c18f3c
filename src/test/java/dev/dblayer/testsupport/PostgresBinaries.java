package dev.dblayer.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the installed PostgreSQL server programs ({@code initdb}, {@code pg_ctl}) are, so that
 * {@link PostgresServerProcess} works with whatever version the machine has: the highest
 * {@code /usr/lib/postgresql/VERSION/bin} (Debian's layout), else {@code pg_config --bindir}, else
 * the first directory on the {@code PATH} that has both.
 */
final class PostgresBinaries {

    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    private PostgresBinaries() {
    }

    /** The directory holding {@code initdb} and {@code pg_ctl}. */
    static Path find() {
        List<Path> candidates = new ArrayList<>();
        highestVersion(DEBIAN_ROOT).ifPresent(candidates::add);
        pgConfigBindir().ifPresent(candidates::add);
        candidates.addAll(pathDirectories(System.getenv().getOrDefault("PATH", "")));
        return candidates.stream().filter(PostgresBinaries::hasServerPrograms).findFirst()
                .orElseThrow(() -> new IllegalStateException("No PostgreSQL server programs (initdb, pg_ctl) in "
                        + DEBIAN_ROOT + "/*/bin, pg_config --bindir or the PATH; looked in " + candidates));
    }

    /** The {@code bin} directory of the highest numbered version under {@code root} that has the programs. */
    static Optional<Path> highestVersion(Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(dir -> dir.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .map(dir -> dir.resolve("bin"))
                    .filter(PostgresBinaries::hasServerPrograms)
                    .max(Comparator.comparing(PostgresBinaries::version));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The entries of a PATH-style list, in order. */
    static List<Path> pathDirectories(String path) {
        return Stream.of(path.split(File.pathSeparator)).filter(entry -> !entry.isEmpty()).map(Path::of).toList();
    }

    static boolean hasServerPrograms(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    /** {@code 15} or {@code 9.6} as a number that sorts right: 15.0 after 9.6. */
    private static double version(Path bin) {
        return Double.parseDouble(bin.getParent().getFileName().toString());
    }

    private static Optional<Path> pgConfigBindir() {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && !output.isEmpty()) {
                return Optional.of(Path.of(output));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no pg_config on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
