package dev.dblayer.web;

import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What {@link PoolTimeoutFilter} and {@link PoolTimeoutMapper} share: recognising a pool timeout,
 * the answer's body, and a log that warns at most once a minute so that overload does not flood it.
 * Thread-safe.
 */
final class PoolTimeouts {

    static final int STATUS = 503;
    static final String RETRY_AFTER_SECONDS = "1";
    static final String MEDIA_TYPE = "application/problem+json";
    /** An RFC 9457 problem. */
    static final String PROBLEM = """
            {"type":"about:blank","title":"Service Unavailable","status":503,\
            "detail":"No database connection could be had: none was free within database.pool.timeout, \
            or the database is unreachable; try again later."}""";

    private static final Logger LOG = Logger.getLogger(PoolTimeouts.class.getName());
    private static final long WARNING_INTERVAL = TimeUnit.MINUTES.toNanos(1);
    private static final AtomicLong NEXT_WARNING = new AtomicLong(System.nanoTime());
    private static final AtomicLong UNWARNED = new AtomicLong();

    private PoolTimeouts() {
    }

    /**
     * The transient connection failure somewhere in {@code failure}'s cause chain: the pool's
     * {@link SQLTransientConnectionException} on a timeout, which EclipseLink and the servers wrap on
     * its way up, or the one dblayer puts under its {@code DatabaseUnavailableException} while the
     * database is unreachable.
     */
    static Optional<SQLTransientConnectionException> find(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++) {
            if (cause instanceof SQLTransientConnectionException timeout) {
                return Optional.of(timeout);
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return Optional.empty();
    }

    /** Logs that {@code request} was answered 503 because of {@code timeout}. */
    static void log(String request, SQLTransientConnectionException timeout) {
        String what = "dblayer: " + request + " answered 503: no database connection could be had ("
                + timeout.getMessage() + ")";
        long now = System.nanoTime();
        long due = NEXT_WARNING.get();
        if (now - due >= 0 && NEXT_WARNING.compareAndSet(due, now + WARNING_INTERVAL)) {
            long more = UNWARNED.getAndSet(0);
            LOG.warning(() -> what + (more == 0 ? "" : "; " + more + " more such answers since the last warning"));
        } else {
            UNWARNED.incrementAndGet();
            LOG.log(Level.FINE, what);
        }
    }
}
