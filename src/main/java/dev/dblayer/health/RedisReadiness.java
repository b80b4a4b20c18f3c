package dev.dblayer.health;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.dblayer.internal.Hosts;
import dev.dblayer.redis.Redis;
import dev.dblayer.redis.RedisProbes;
import dev.dblayer.redis.RedisSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.Jedis;

/**
 * Readiness check {@code redis}: PING within {@code redis.health.timeout}, on a connection of its
 * own (outside the pool, so a busy pool never delays the probe), kept open between probes.
 *
 * <p>UP data: address, database index, latency in ms and the server's version. DOWN data: the
 * reason (timeout, authentication, refused, error), never the password. With
 * {@code redis.required=false} (Redis used only as a cache) a failure is reported in the data while
 * the check stays UP.
 */
@Readiness
@ApplicationScoped
public class RedisReadiness extends BoundedCheck {

    /** The deadline of one probe; with the database's, well under Kubernetes' default 1 s probe timeout. */
    public static final String TIMEOUT = "redis.health.timeout";
    static final String NAME = "redis";

    private static final Logger LOG = Logger.getLogger(RedisReadiness.class.getName());

    private final Redis redis;
    private final BoundedProbe<Long> probe;
    /** Only touched on the probe's own thread. */
    private Jedis connection;
    private volatile String version = "unknown";

    /** For CDI's proxy. */
    protected RedisReadiness() {
        this.redis = null;
        this.probe = null;
    }

    @Inject
    RedisReadiness(Redis redis, Config config) {
        super(NAME, config, TIMEOUT, LOG, "Redis");
        this.redis = redis;
        this.probe = newProbe("dblayer-health-redis");
    }

    @Override
    public HealthCheckResponse call() {
        if (stopping()) {
            return shuttingDown(response());
        }
        RedisSettings settings = redis.settings();
        HealthCheckResponseBuilder response = response()
                .withData("address", Hosts.withPort(settings.host(), settings.port()))
                .withData("database", settings.database());
        return run(response, probe, this::ping, "timeout: no answer to PING within ", "");
    }

    @Override
    HealthCheckResponseBuilder passedData(HealthCheckResponseBuilder response) {
        return response.withData("version", version);
    }

    /** With {@code redis.required=false} (Redis only a cache) a failure is reported and the check stays UP. */
    @Override
    HealthCheckResponse failed(HealthCheckResponseBuilder response, String reason) {
        response.withData("reason", reason);
        if (!redis.settings().required()) {
            return response.withData("required", false).withData("status", "DOWN").up().build();
        }
        return response.down().build();
    }

    @Override
    String describe(Throwable cause) {
        return RedisProbes.describeFailure(cause);
    }

    /** PINGs on the probe's own connection, (re)connecting when it is missing or broken. */
    private long ping() {
        long start = System.nanoTime();
        try {
            if (connection == null) {
                connection = RedisProbes.openUnpooled(redis.settings(), deadline().multipliedBy(5));
                version = serverVersion(connection.info("server"));
            }
            connection.ping();
            return (System.nanoTime() - start) / 1_000_000;
        } catch (RuntimeException e) {
            closeConnection();
            throw e;
        }
    }

    private static String serverVersion(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "unknown";
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "dblayer: closing the Redis probe connection failed", e);
            }
            connection = null;
        }
    }

    /** The probe thread owns the connection; once it is stopped nothing else touches it. */
    @Override
    void closeResources() {
        closeConnection();
    }
}
