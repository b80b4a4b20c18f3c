package dev.dblayer.health;

import dev.dblayer.internal.CheckEvents;

/**
 * What dblayer's metrics need of its health checks: each answer's status and duration. Public only
 * because the metrics live in another package; not for applications.
 */
public final class HealthProbes {

    private HealthProbes() {
    }

    /** Reports every answer of dblayer's checks ({@code database}, {@code redis}, {@code database-schema}) to {@code events}. */
    public static void listen(CheckEvents events) {
        BoundedCheck.listen(events);
    }
}
