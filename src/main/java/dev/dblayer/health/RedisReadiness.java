package dev.dblayer.health;

import java.util.Map;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.dblayer.internal.Hosts;
import dev.dblayer.redis.Redis;
import dev.dblayer.redis.RedisProbes;
import dev.dblayer.redis.RedisSettings;
import dev.dblayer.redis.RedisTopology;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Readiness check {@code redis}, answered within {@code redis.health.timeout}, on connections of its
 * own (outside the pool, so a busy pool never delays the probe), kept open between probes. By mode:
 * standalone, the server answers PING; Sentinel, a sentinel names the primary and that primary
 * answers {@code ROLE} as master; Cluster, {@code cluster_state:ok} with all 16384 slots served.
 *
 * <p>UP data: the mode, where (address; master and primary; node asked), database index, latency
 * in ms and the server's version. DOWN data: the mode and the reason (timeout, authentication,
 * refused, error, or what the sentinels or the cluster said), never a password. With
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
    private RedisProbes.Probe connection;
    /** What the last passed probe reported. */
    private volatile Map<String, Object> lastData = Map.of();

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
    HealthCheckResponse answer() {
        if (stopping()) {
            return shuttingDown(response());
        }
        RedisSettings settings = redis.settings();
        HealthCheckResponseBuilder response = response().withData("mode", settings.mode().label());
        if (settings.mode() == RedisTopology.Mode.STANDALONE) {
            response.withData("address", Hosts.withPort(settings.host(), settings.port()));
        }
        settings.topology().sentinelMaster().ifPresent(master -> response.withData("master", master));
        response.withData("database", settings.database());
        return run(response, probe, this::ping, settings.mode() == RedisTopology.Mode.STANDALONE
                ? "timeout: no answer to PING within " : "timeout: no answer within ", "");
    }

    @Override
    HealthCheckResponseBuilder passedData(HealthCheckResponseBuilder response) {
        lastData.forEach((key, value) -> {
            if (value instanceof Number number) {
                response.withData(key, number.longValue());
            } else {
                response.withData(key, String.valueOf(value));
            }
        });
        return response;
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

    /** One probe of the mode, on the probe's own connections, which it reopens when broken. */
    private long ping() {
        long start = System.nanoTime();
        if (connection == null) {
            connection = RedisProbes.newProbe(redis.settings(), deadline().multipliedBy(5));
        }
        lastData = connection.check();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** The probe thread owns the connection; once it is stopped nothing else touches it. */
    @Override
    void closeResources() {
        closeConnection();
    }
}
