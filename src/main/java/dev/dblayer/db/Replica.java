package dev.dblayer.db;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.inject.Qualifier;

/**
 * Chooses the read replica of {@code database.replica.*}:
 * <pre>{@code
 * @Inject @Replica EntityManager replica; // reads on the replica; every write method throws
 * }</pre>
 * The request's replica EntityManager is read-only and never in a transaction; it sees the
 * replica's data, which may lag the primary's. While the replica is down its reads go to the
 * primary ({@code database.replica.fallback=true}, the default) or fail with 503. Without a replica
 * configured it reads from the main database, read-only all the same.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE})
public @interface Replica {
}
