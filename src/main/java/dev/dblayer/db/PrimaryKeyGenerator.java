package dev.dblayer.db;

/**
 * What makes the ids of {@link PrimaryKeys#GENERATOR} when {@code database.pk-mode=snowflake}: a
 * CDI bean of this type, {@code dev.dblayer.snowflake.Snowflake} in dblayer's jar. The database
 * package names only this contract, so that it never depends on Redis, which the snowflake node
 * leases use.
 *
 * <p>Public for that reason only; applications inject {@code Snowflake}, not this.
 */
public interface PrimaryKeyGenerator {

    /**
     * A new id, never issued before by any node sharing the lease space; thread-safe.
     *
     * @throws IllegalStateException when no id can be issued safely now (the message says why)
     */
    long next();
}
