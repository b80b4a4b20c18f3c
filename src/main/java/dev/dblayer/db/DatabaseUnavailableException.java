package dev.dblayer.db;

import java.sql.SQLTransientConnectionException;

import jakarta.persistence.PersistenceException;

/**
 * The request's {@code EntityManager} cannot be had: the persistence unit is not deployed because
 * the database is unreachable (the cause says why), or the application is stopping. Like a pool
 * timeout it is transient, and dblayer's Jakarta REST mapper and servlet filter answer it the same
 * way: 503 with {@code Retry-After}.
 *
 * <p>Its cause is a {@link SQLTransientConnectionException} (SQLState {@code 08001}) holding the
 * original failure: the JDBC type for "no connection now, retrying may succeed", which is what the
 * web layer looks for in a failure's cause chain.
 */
public class DatabaseUnavailableException extends PersistenceException {

    DatabaseUnavailableException(String message, Throwable cause) {
        super(message, new SQLTransientConnectionException(message, "08001", cause));
    }
}
