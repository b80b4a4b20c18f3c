package dev.dblayer.server;

import java.util.List;

/**
 * Passwords the in-server tests configure so that {@code SecretsInServerLogsIT}, which runs after
 * each server's execution, can prove none of them reached a server log, a deployment error or a
 * health answer. Distinctive strings that nothing else would print.
 */
final class SecretCanaries {

    /** A wrong MariaDB password for user {@code dblayer_canary}, configured as {@code database.password}. */
    static final String DATABASE_PASSWORD = "canary-db-pw-7c41e9";
    /** A wrong Redis password, configured as {@code redis.password}. */
    static final String REDIS_PASSWORD = "canary-redis-pw-b2d8f3";
    /** A password inside a malformed {@code redis.url}. */
    static final String REDIS_URL_PASSWORD = "canary-url-pw-51aa0c";
    /** A password given beside an invalid setting that fails the deployment. */
    static final String FAILED_DEPLOYMENT_PASSWORD = "canary-failed-pw-e803d2";

    /** A password left in {@code adopted/leftovers-persistence.xml} (AdoptedUnitInServerIT). */
    static final String PERSISTENCE_XML_PASSWORD = "canary-pxml-pw-3e9d71";

    /** Every canary the in-server suite uses, HealthInServerIT's included. */
    static final List<String> ALL = List.of(DATABASE_PASSWORD, REDIS_PASSWORD, REDIS_URL_PASSWORD,
            FAILED_DEPLOYMENT_PASSWORD, PERSISTENCE_XML_PASSWORD, HealthInServerIT.REDIS_CANARY);

    private SecretCanaries() {
    }
}
