package dev.dblayer.health;

import dev.dblayer.internal.CheckEvents;

/**
 * What dblayer's metrics need of its health checks: each answer's status and duration. Public only
 * because the metrics live in another package; not for applications.
 */
public final class HealthProbes {

    private HealthProbes() {
    }

    /** Reports every answer of {@code check} (one of dblayer's checks) to {@code events}. */
    public static void listen(DatabaseReadiness check, CheckEvents events) {
        check.listen(events);
    }

    /** Reports every answer of {@code check} to {@code events}. */
    public static void listen(RedisReadiness check, CheckEvents events) {
        check.listen(events);
    }

    /** Reports every answer of {@code check} to {@code events}. */
    public static void listen(PersistenceUnitStartup check, CheckEvents events) {
        check.listen(events);
    }
}
