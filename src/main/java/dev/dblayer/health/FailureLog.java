package dev.dblayer.health;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A readiness check's WARNING log: a failure is logged, with its cause, when its reason first
 * appears, not again at every probe while the dependency stays down. Thread-safe.
 */
final class FailureLog {

    private final Logger log;
    private final String check;
    private volatile String lastReason;

    /** @param check the dependency as the log line names it: {@code database}, {@code Redis} */
    FailureLog(Logger log, String check) {
        this.log = log;
        this.check = check;
    }

    /** The check passed: the next failure is logged whatever its reason. */
    void recovered() {
        lastReason = null;
    }

    /** The check failed for {@code reason}; logged when {@code cause} is known and the reason is new. */
    void failed(String reason, Throwable cause) {
        if (cause != null && !reason.equals(lastReason)) {
            lastReason = reason;
            log.log(Level.WARNING, "dblayer: " + check + " readiness DOWN: " + reason, cause);
        }
    }
}
