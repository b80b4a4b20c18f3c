package dev.dblayer.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseProbes;
import dev.dblayer.internal.Errors;
import dev.dblayer.internal.SettingsReader;

/**
 * The replica's part of the {@code database} check: whether the replica itself gives a valid
 * connection within the deadline (never the primary it falls back to), how far it lags, and where
 * reads go now. Data only: the replica never turns readiness DOWN, since every pod shares it and a
 * DOWN would take them all out of service while the primary still serves (docs/databases.md).
 */
final class ReplicaProbe {

    private final Database replica;
    private final BoundedProbe<Map<String, Object>> probe;

    ReplicaProbe(Database replica, BoundedProbe<Map<String, Object>> probe) {
        this.replica = replica;
        this.probe = probe;
    }

    /**
     * {@code status} (UP or DOWN), {@code target}, {@code lagMs} (or {@code lag: unknown} when it is
     * not replaying), {@code reads} (replica, primary while it falls back, or failing), and the
     * {@code reason} when DOWN.
     */
    Map<String, Object> state(Duration deadline) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("target", replica.settings().describe());
        try {
            state.putAll(probe.run(this::measure, deadline));
            state.put("status", "UP");
        } catch (TimeoutException e) {
            String last = probe.lastFailure();
            state.put("status", "DOWN");
            state.put("reason", "no valid connection within " + SettingsReader.format(deadline)
                    + (last == null ? "" : "; last attempt: " + last));
        } catch (ExecutionException e) {
            state.put("status", "DOWN");
            state.put("reason", Errors.rootMessage(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.put("status", "DOWN");
            state.put("reason", "interrupted");
        }
        state.put("reads", DatabaseProbes.replicaDown(replica)
                ? (DatabaseProbes.replicaFallback(replica) ? "primary (fallback)" : "failing") : "replica");
        return state;
    }

    private Map<String, Object> measure() throws Exception {
        long start = System.nanoTime();
        Map<String, Object> measured = new LinkedHashMap<>();
        try (Connection connection = DatabaseProbes.replicaConnection(replica)) {
            if (!connection.isValid((int) Math.max(1, Duration.ofNanos(System.nanoTime() - start).toSeconds() + 1))) {
                throw new SQLException("the replica did not validate the connection");
            }
            measured.put("latencyMs", (System.nanoTime() - start) / 1_000_000);
            try {
                Optional<Duration> lag = DatabaseProbes.replicationLag(connection, replica.settings().type());
                if (lag.isPresent()) {
                    measured.put("lagMs", lag.get().toMillis());
                } else {
                    measured.put("lag", "unknown (not replaying)");
                }
            } catch (SQLException e) {
                // A user without the privilege to read the replication status (MariaDB's SLAVE MONITOR).
                measured.put("lag", "unknown (" + Errors.rootMessage(e) + ")");
            }
        }
        return measured;
    }
}
