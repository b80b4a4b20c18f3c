package dev.dblayer.health;

import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;

import dev.dblayer.db.Database;
import dev.dblayer.redis.Redis;
import dev.dblayer.testsupport.MapConfig;

/** The {@code redis} and {@code database} readiness checks outside a container, for tests in other packages. */
public final class Readinesses {

    private Readinesses() {
    }

    /** A {@code redis} check over {@code redis} with {@code redis.health.timeout} {@code timeout}; close it with {@link #close}. */
    public static RedisReadiness redis(Redis redis, String timeout) {
        return new RedisReadiness(redis, new MapConfig(Map.of(RedisReadiness.TIMEOUT, timeout)));
    }

    /** Calls the check. */
    public static HealthCheckResponse call(RedisReadiness check) {
        return check.call();
    }

    /** Stops its probe thread and connections. */
    public static void close(RedisReadiness check) {
        check.close();
    }

    /** The response's data, empty when it has none. */
    public static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElse(Map.of());
    }

    /** A {@code database} check over {@code database} with {@code database.health.timeout} {@code timeout}; close it with {@link #close}. */
    public static DatabaseReadiness database(Database database, String timeout) {
        return new DatabaseReadiness(database, new MapConfig(Map.of(DatabaseReadiness.TIMEOUT, timeout)));
    }

    /** Calls the check. */
    public static HealthCheckResponse call(DatabaseReadiness check) {
        return check.call();
    }

    /** Stops its probe threads. */
    public static void close(DatabaseReadiness check) {
        check.close();
    }
}
