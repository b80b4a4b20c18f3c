package dev.dblayer.peers.helidon;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * The readiness checks Helidon MP leaves to the application (it has none for a DataSource or Redis):
 * a connection from the pool that {@link Connection#isValid} answers within 1 s, and a Redis PING on
 * Jedis's defaults (2 s timeouts), each the way a Helidon MP guide's custom check is written.
 */
@ApplicationScoped
public class ReadinessChecks {

    @Inject
    @Named("bench")
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "redis.host")
    String redisHost;

    @Inject
    @ConfigProperty(name = "redis.port")
    int redisPort;

    private RedisClient redis;

    @Produces
    @Readiness
    HealthCheck database() {
        return () -> {
            try (Connection connection = dataSource.getConnection()) {
                return HealthCheckResponse.named("database").status(connection.isValid(1)).build();
            } catch (SQLException e) {
                return HealthCheckResponse.named("database").down().withData("error", e.getMessage()).build();
            }
        };
    }

    @Produces
    @Readiness
    HealthCheck redis() {
        return () -> {
            try {
                return HealthCheckResponse.named("redis").status("PONG".equals(client().ping())).build();
            } catch (RuntimeException e) {
                return HealthCheckResponse.named("redis").down().withData("error", e.getMessage()).build();
            }
        };
    }

    private synchronized RedisClient client() {
        if (redis == null) {
            redis = RedisClient.builder().hostAndPort(new HostAndPort(redisHost, redisPort)).build();
        }
        return redis;
    }
}
