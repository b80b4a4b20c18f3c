package dev.dblayer.db;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;

/**
 * Chooses a named data source of {@code database.sources}:
 * <pre>{@code
 * @Inject @Source("reports") EntityManager reports;   // the request's, on database.sources.reports.*
 * @Inject @Source("reports") Database reportsDatabase; // its settings, pool and unit
 * }</pre>
 * The unqualified {@code EntityManager} and {@code Database} stay the main database's. A name that
 * is not in {@code database.sources} fails the deployment, with the names that are.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE})
public @interface Source {

    /** The source's name in {@code database.sources}. */
    @Nonbinding
    String value();
}
