package dev.dblayer.health;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.dblayer.config.Hosts;
import dev.dblayer.config.Lifecycle;
import dev.dblayer.config.SettingsReader;
import dev.dblayer.redis.Redis;
import dev.dblayer.redis.RedisSettings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
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
public class RedisReadiness implements HealthCheck {

    /** The deadline of one probe; with the database's, well under Kubernetes' default 1 s probe timeout. */
    public static final String TIMEOUT = "redis.health.timeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(300);
    static final String NAME = "redis";

    private static final Logger LOG = Logger.getLogger(RedisReadiness.class.getName());

    private final Redis redis;
    private final Duration timeout;
    private final BoundedProbe<Long> probe = new BoundedProbe<>("dblayer-health-redis");
    /** Only touched on the probe's own thread. */
    private Jedis connection;
    private volatile String version = "unknown";
    private final FailureLog failures = new FailureLog(LOG, "Redis");

    /** For CDI's proxy. */
    protected RedisReadiness() {
        this.redis = null;
        this.timeout = null;
    }

    @Inject
    RedisReadiness(Redis redis, Config config) {
        this.redis = redis;
        this.timeout = SettingsReader.of(config).duration(TIMEOUT, DEFAULT_TIMEOUT, Duration.ofMillis(50));
    }

    /** Created at startup, while the application's configuration is in reach (Payara's /health thread has not). */
    void onStart(@Observes @Priority(Lifecycle.HEALTH_START) @Initialized(ApplicationScoped.class)
            Object applicationStarted) {
        LOG.fine(() -> "dblayer: Redis readiness check, deadline " + SettingsReader.format(timeout));
    }

    @Override
    public HealthCheckResponse call() {
        RedisSettings settings = redis.settings();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("address", Hosts.withPort(settings.host(), settings.port()))
                .withData("database", settings.database());
        String reason;
        Throwable cause = null;
        try {
            long latencyMillis = probe.run(this::ping, timeout);
            failures.recovered();
            return response.withData("latencyMs", latencyMillis).withData("version", version).up().build();
        } catch (TimeoutException e) {
            reason = "timeout: no answer to PING within " + SettingsReader.format(timeout);
        } catch (ExecutionException e) {
            cause = e.getCause();
            reason = Redis.describeFailure(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted";
        }
        failures.failed(reason, cause);
        response.withData("reason", reason);
        if (!settings.required()) {
            // Redis is only a cache here: report the failure, stay ready.
            return response.withData("required", false).withData("status", "DOWN").up().build();
        }
        return response.down().build();
    }

    /** PINGs on the probe's own connection, (re)connecting when it is missing or broken. */
    private long ping() {
        long start = System.nanoTime();
        try {
            if (connection == null) {
                connection = redis.openUnpooled(timeout.multipliedBy(5));
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

    void onStop(@Observes @Priority(Lifecycle.HEALTH_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    @PreDestroy
    void close() {
        probe.close();
        // The probe thread owns the connection; after shutdownNow it no longer touches it.
        closeConnection();
    }
}
