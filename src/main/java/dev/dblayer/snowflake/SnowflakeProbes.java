package dev.dblayer.snowflake;

/**
 * What dblayer's metrics need of {@link Snowflake}: how many ids it issued and how often it renewed
 * its node id lease. Public only because the metrics live in another package; not for applications.
 */
public final class SnowflakeProbes {

    private SnowflakeProbes() {
    }

    /** Ids {@code snowflake} issued so far. */
    public static long issued(Snowflake snowflake) {
        return snowflake.issued();
    }

    /** Successful renewals of its node id lease so far (0 with a fixed node id, or before the first id). */
    public static long renewals(Snowflake snowflake) {
        return snowflake.renewals();
    }
}
