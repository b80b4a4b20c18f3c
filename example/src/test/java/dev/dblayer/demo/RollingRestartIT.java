package dev.dblayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Rolling restarts lose no request: two instances of the demo behind HAProxy (health-checking
 * {@code /health/ready}, retrying a refused connection or a 503 on the other instance), a steady
 * load of increments, and each instance in turn stopped with SIGTERM to its JVM, waited for, started
 * again and waited for until HAProxy has it back. At each SIGTERM one more increment, sent straight
 * to the instance, is inside its transaction (row written, connection held). Then no request of the
 * load failed, the increments in flight were committed, and the database holds exactly the
 * acknowledged increments: none lost, none twice.
 *
 * <p>Bounded: at most {@link IncrementLoad#MAX_REQUESTS} increments, every wait has a deadline, and
 * every process the test starts is stopped by its PID in {@code finally}.
 */
class RollingRestartIT {

    private static final Path TARGET = Paths.get(System.getProperty("rolling.target", "target")).toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    /** How long the increment in flight at SIGTERM holds its transaction open. */
    private static final Duration HOLD = Duration.ofSeconds(5);
    /** When SIGTERM comes: Payara Micro stops the application about 2 s after it, Liberty waits for the request. */
    private static final Duration SIGTERM_AFTER = Duration.ofSeconds(1);
    private static final String JDBC_URL = System.getProperty("rolling.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/demo");

    @Test
    void libertyRollingRestartLosesNoIncrement() throws Exception {
        Path wlp = Paths.get(System.getProperty("liberty.wlp", TARGET.resolve("liberty/wlp").toString()));
        rollingRestart("liberty", false, true, port -> ServerProcess.liberty(wlp, "rolling-" + port, port, war()));
    }

    @Test
    void payaraRollingRestartLosesNoIncrement() throws Exception {
        Path micro = Paths.get(System.getProperty("payara.micro.jar", "payara-micro.jar"));
        // Payara Micro stops the application while it still dispatches requests (docs/scale-out.md): the
        // instance must be out of the rotation before SIGTERM, as a Kubernetes preStop sleep makes it.
        // And it answers a request that its stop overtook 500 even when dblayer let its transaction
        // commit (measured): the increment in flight must be stored, its answer is only reported.
        rollingRestart("payara", true, false,
                port -> ServerProcess.payara(micro, TARGET.resolve("rolling-payara-" + port), port, war()));
    }

    private static Path war() {
        return Paths.get(System.getProperty("demo.war", TARGET.resolve("dblayer-demo.war").toString()));
    }

    interface Launcher {
        ServerProcess start(int port) throws IOException;
    }

    /**
     * @param drainFirst take each instance out of HAProxy's rotation and wait for its open requests
     *                   before SIGTERM (Kubernetes' endpoint removal during {@code preStop}); without
     *                   it, SIGTERM comes while the instance is in the rotation
     * @param inFlightAnswered whether the increment in flight at SIGTERM must also be answered 201
     *                   (it must be committed in any case)
     */
    private void rollingRestart(String server, boolean drainFirst, boolean inFlightAnswered, Launcher launcher)
            throws Exception {
        int portA = FreePorts.take();
        int portB = FreePorts.take();
        String counter = server + "-" + UUID.randomUUID();
        List<ServerProcess> instances = new ArrayList<>();
        HaProxy proxy = null;
        IncrementLoad load = null;
        try {
            instances.add(launcher.start(portA));
            instances.add(launcher.start(portB));
            for (ServerProcess instance : instances) {
                instance.awaitReady(START_TIMEOUT);
            }
            proxy = HaProxy.start(TARGET.resolve("rolling-haproxy-" + server), FreePorts.take(), portA, portB);
            proxy.awaitUp(List.of("a", "b"), START_TIMEOUT);

            load = IncrementLoad.start(proxy.url(), counter, 4);
            Thread.sleep(3000);
            List<String> windows = new ArrayList<>();
            Set<String> inFlight = new HashSet<>();
            List<Integer> inFlightStatuses = new ArrayList<>();
            String[] names = {"a", "b"};
            for (int i = 0; i < instances.size(); i++) {
                ServerProcess old = instances.get(i);
                long acknowledgedBefore = load.acknowledged();
                long stopStart = System.nanoTime();
                if (drainFirst) {
                    proxy.drain(names[i], STOP_TIMEOUT);
                }
                long drained = System.nanoTime();
                // One increment straight to the instance, in its transaction (row written, connection
                // held) when SIGTERM comes: the shutdown must let it commit.
                InFlight held = InFlight.send(old.port(), counter, HOLD);
                Thread.sleep(SIGTERM_AFTER.toMillis());
                old.terminate();
                old.awaitExit(STOP_TIMEOUT);
                long stopped = System.nanoTime();
                int heldStatus = held.status(STOP_TIMEOUT);
                if (inFlightAnswered) {
                    assertEquals(201, heldStatus, "the increment in flight at SIGTERM is answered 201");
                }
                inFlight.add(held.id());
                inFlightStatuses.add(heldStatus);
                assertTrue(old.log().contains("dblayer: INFO: application stopping; readiness DOWN"),
                        "dblayer's shutdown ran and said so on stderr: " + old.logPath());
                assertFalse(old.log().contains("closing anyway"),
                        "no transaction was still running when the pools closed: " + old.logPath());
                ServerProcess fresh = launcher.start(old.port());
                instances.set(i, fresh);
                fresh.awaitReady(START_TIMEOUT);
                long ready = System.nanoTime();
                if (drainFirst) {
                    proxy.ready(names[i]);
                }
                proxy.awaitUp(List.of(names[i]), START_TIMEOUT);
                long back = System.nanoTime();
                windows.add(String.format("%s %s: drain %d ms, SIGTERM (%d ms into a %d ms transaction) to exit %d ms,"
                        + " start to ready %d ms, back in HAProxy %d ms later; %d increments acknowledged meanwhile",
                        server, names[i], millis(drained - stopStart), SIGTERM_AFTER.toMillis(), HOLD.toMillis(),
                        millis(stopped - drained) - SIGTERM_AFTER.toMillis(), millis(ready - stopped),
                        millis(back - ready), load.acknowledged() - acknowledgedBefore));
                Thread.sleep(2000);
            }
            IncrementLoad.Result result = load.stop();
            windows.forEach(System.out::println);
            System.out.println(server + ": " + result + "; " + proxy.retries());

            assertEquals(List.of(), result.failures(), "no increment failed, not even with a socket error");
            assertTrue(result.acknowledged().size() >= 100, "the load was steady: " + result);
            Set<String> stored = storedIncrements(counter);
            System.out.println(server + ": the increments in flight at SIGTERM were answered " + inFlightStatuses);
            assertTrue(stored.containsAll(inFlight), "the increments in flight at SIGTERM were committed");
            stored.removeAll(inFlight);
            Set<String> lost = new HashSet<>(result.acknowledged());
            lost.removeAll(stored);
            Set<String> unacknowledged = new HashSet<>(stored);
            unacknowledged.removeAll(result.acknowledged());
            assertEquals(Set.of(), lost, "every acknowledged increment is in the database");
            assertEquals(Set.of(), unacknowledged, "the database holds no increment that was not acknowledged");
            assertEquals(result.acknowledged().size(), stored.size(), "count in the database == acknowledged count");
        } finally {
            if (load != null) {
                load.stop();
            }
            if (proxy != null) {
                proxy.stop();
            }
            for (ServerProcess instance : instances) {
                instance.stop();
            }
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static Set<String> storedIncrements(String counter) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(JDBC_URL, "postgres", "");
                PreparedStatement select = connection.prepareStatement("SELECT id FROM demo_increment WHERE counter = ?")) {
            select.setString(1, counter);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
