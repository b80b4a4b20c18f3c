package dev.dblayer.internal;

/**
 * What a connection pool of dblayer's tells whoever measures it, as it happens: how long a borrower
 * waited, how long a connection was held, how long one took to open, and a borrower that gave up.
 * The database's pools (through HikariCP's metrics hook) and the Redis pool both report these, so
 * that metrics can publish them in one shape. Implementations must be cheap and never throw; they
 * are called on the borrowing threads.
 *
 * <p>Internal to dblayer: public only for its packages ({@code dev.dblayer.metrics}).
 */
public interface PoolEvents {

    /** Reports nothing. */
    PoolEvents NONE = new PoolEvents() {
    };

    /** A borrower waited {@code nanos} for a connection (also when it then timed out). */
    default void waited(long nanos) {
    }

    /** A connection was held for {@code nanos}, from borrow to return. */
    default void used(long nanos) {
    }

    /** A new connection took {@code nanos} to open. */
    default void created(long nanos) {
    }

    /** A borrower found no connection within the pool's timeout. */
    default void timedOut() {
    }
}
