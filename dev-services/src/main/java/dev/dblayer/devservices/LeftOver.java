package dev.dblayer.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A server that an earlier start left running on the same data, because its JVM was killed (no
 * shutdown hook runs after SIGKILL): found by the PID file the server wrote, and stopped before the
 * data is used again.
 */
final class LeftOver {

    private static final Logger LOG = Logger.getLogger(LeftOver.class.getName());
    private static final long WAIT_SECONDS = 30;

    private LeftOver() {
    }

    /** Stops the process whose PID is the first line of {@code pidFile}, if it runs {@code command}. */
    static void stop(Path pidFile, String command) {
        Optional<ProcessHandle> process = running(pidFile, command);
        if (process.isEmpty()) {
            return;
        }
        LOG.warning("dblayer dev services: stopping " + command + " (PID " + process.get().pid()
                + ") left running on " + pidFile.getParent() + " by an earlier start that did not stop it");
        process.get().destroy();
        try {
            process.get().onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.get().destroyForcibly();
        }
    }

    static Optional<ProcessHandle> running(Path pidFile, String command) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return ProcessHandle.of(Long.parseLong(first))
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().command().map(path -> path.contains(command)).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
