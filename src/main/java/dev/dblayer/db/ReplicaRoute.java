package dev.dblayer.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.dblayer.internal.Errors;

/**
 * The replica unit's DataSource: connections from the replica's pool, or, while the replica cannot
 * give one and {@code database.replica.fallback=true}, read-only connections from the primary's.
 *
 * <p>An outage is noticed by a failed connection attempt. From then on every read goes straight to
 * the primary, and at most one caller a {@link #RETRY_INTERVAL} tries the replica again (waiting up
 * to its {@code database.replica.pool.timeout}); the first success ends the outage. One WARNING when
 * an outage begins, one INFO when it ends. Without fallback the failure is thrown as
 * {@link SQLTransientConnectionException}, which the web layer answers with 503. Thread-safe.
 */
final class ReplicaRoute extends ForwardingDataSource {

    private static final Logger LOG = Logger.getLogger(ReplicaRoute.class.getName());
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final Supplier<DataSource> primary;
    private final boolean fallback;
    private final String target;
    private final ReentrantLock retrying = new ReentrantLock();
    private volatile boolean down;
    private volatile long retryAfterNanos;

    /**
     * @param replica  the replica's pool
     * @param primary  the primary's DataSource, asked for only when falling back
     * @param fallback {@code database.replica.fallback}
     * @param target   where the replica is, for the log (no secret)
     */
    ReplicaRoute(DataSource replica, Supplier<DataSource> primary, boolean fallback, String target) {
        super(replica);
        this.primary = primary;
        this.fallback = fallback;
        this.target = target;
    }

    /** Whether the replica is in an outage: reads go to the primary now, or fail without fallback. */
    boolean isDown() {
        return down;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down && (System.nanoTime() < retryAfterNanos || !retrying.tryLock())) {
            return fallbackConnection(null);
        }
        try {
            Connection connection = delegate().getConnection();
            if (down) {
                down = false;
                LOG.info(() -> "dblayer: the replica " + target + " answers again; reads go to it");
            }
            return connection;
        } catch (SQLException e) {
            retryAfterNanos = System.nanoTime() + RETRY_INTERVAL.toNanos();
            if (!down) {
                down = true;
                LOG.warning(() -> "dblayer: the replica " + target + " gives no connection ("
                        + Errors.rootMessage(e) + "); " + (fallback
                                ? "reads go to the primary until it answers (database.replica.fallback=true)"
                                : "reads fail until it answers (database.replica.fallback=false)"));
            }
            return fallbackConnection(e);
        } finally {
            if (retrying.isHeldByCurrentThread()) {
                retrying.unlock();
            }
        }
    }

    private Connection fallbackConnection(SQLException cause) throws SQLException {
        if (!fallback) {
            throw new SQLTransientConnectionException("The replica " + target + " is down and"
                    + " database.replica.fallback=false" + (cause == null ? "" : ": " + Errors.rootMessage(cause)),
                    "08001", cause);
        }
        Connection connection = primary.get().getConnection();
        try {
            connection.setReadOnly(true); // the pool resets it when the connection comes back
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("dblayer's replica connects with database.replica.user");
    }
}
