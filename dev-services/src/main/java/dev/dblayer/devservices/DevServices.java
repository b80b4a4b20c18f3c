package dev.dblayer.devservices;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.dblayer.db.DatabaseSettings;
import dev.dblayer.db.DatabaseType;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.redis.RedisSettings;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;

/**
 * The CDI extension that starts dev services: after the deployment is validated and before any
 * bean starts (so before dblayer reads its settings), and only with {@code dblayer.dev-services=true},
 * it starts a PostgreSQL and a Redis where the settings expect them on loopback and nothing answers,
 * and points dblayer's settings at them ({@link DevServicesConfigSource}). It stops them when the
 * application stops ({@link BeforeShutdown}, after dblayer has closed its pools), or, should the
 * application not stop within a minute of the JVM's exit starting, in a shutdown hook.
 *
 * <p>Public only because CDI instantiates extensions through {@link java.util.ServiceLoader}; not
 * for applications.
 */
public final class DevServices implements Extension {

    private static final Logger LOG = Logger.getLogger(DevServices.class.getName());
    /** How long the check at the configured address waits for a connection. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(1);
    private static final String PREFIX = "dblayer dev services: ";

    /** How long the shutdown hook leaves the server to stop the application, which stops the services itself. */
    static final Duration APPLICATION_STOP_WAIT = Duration.ofSeconds(60);

    private final Deque<DevService> started = new ArrayDeque<>();
    private Thread shutdownHook;
    /** Counted down when what was started has stopped, for the shutdown hook to wait on. */
    private volatile CountDownLatch stopped = new CountDownLatch(0);

    void start(@Observes AfterDeploymentValidation event) {
        try {
            Config config = ConfigProvider.getConfig(DevServices.class.getClassLoader());
            startWhatIsMissing(DevServicesConfigSource.others(config));
        } catch (RuntimeException e) {
            stopAll();
            event.addDeploymentProblem(e);
        }
    }

    void stop(@Observes BeforeShutdown event) {
        stopAll();
    }

    /**
     * Starts what the settings of {@code config} (as the application configured them) expect and
     * is missing, and points the settings at it.
     */
    synchronized void startWhatIsMissing(Function<String, Optional<String>> config) {
        SettingsReader settings = SettingsReader.of(config);
        DevSettings dev = DevSettings.read(settings);
        if (!dev.enabled()) {
            return;
        }
        Map<String, String> pointers = new LinkedHashMap<>();
        DatabaseSettings database = DatabaseSettings.read(settings);
        StringBuilder why = new StringBuilder();
        Optional<Expected> expectedDatabase = Expected.database(database, why);
        RedisSettings redis = RedisSettings.read(settings);
        StringBuilder whyNotRedis = new StringBuilder();
        Optional<Expected> expectedRedis = Expected.redis(redis, settings, whyNotRedis);

        if (missing(expectedDatabase, why)) {
            if (database.type() != DatabaseType.POSTGRESQL) {
                throw new DevServicesException(PREFIX + "nothing answers at " + expectedDatabase.get().address()
                        + " (" + DatabaseSettings.TYPE + "=" + SettingsReader.settingName(database.type())
                        + "), and dev services start PostgreSQL only: start MySQL or MariaDB there, or use "
                        + DatabaseSettings.TYPE + "=postgresql for development");
            }
            DevService postgres = started(() -> PostgresqlService.start(dev, database), "PostgreSQL", dev);
            pointers.put(DatabaseSettings.HOST, Loopback.HOST);
            pointers.put(DatabaseSettings.PORT, String.valueOf(postgres.port()));
        }
        if (missing(expectedRedis, whyNotRedis)) {
            DevService server = started(() -> RedisService.start(dev, redis), "Redis", dev);
            pointers.put(RedisSettings.HOST, Loopback.HOST);
            pointers.put(RedisSettings.PORT, String.valueOf(server.port()));
        }
        DevServicesConfigSource.point(pointers);
        if (!started.isEmpty() && shutdownHook == null) {
            CountDownLatch latch = new CountDownLatch(1);
            stopped = latch;
            shutdownHook = new Thread(() -> stopAfterTheApplication(latch), "dblayer-dev-services-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Whether nothing answers where {@code expected} is; logs the outcome when something does, or none is expected. */
    private static boolean missing(Optional<Expected> expected, StringBuilder why) {
        if (expected.isEmpty()) {
            LOG.info(PREFIX + "nothing started in place of a server that " + why);
            return false;
        }
        if (Loopback.answers(expected.get().host(), expected.get().port(), ANSWER_TIMEOUT)) {
            LOG.info(PREFIX + expected.get().service() + " answers at " + expected.get().address()
                    + "; nothing started for it");
            return false;
        }
        return true;
    }

    private interface Start {
        DevService start() throws Exception;
    }

    private DevService started(Start start, String what, DevSettings dev) {
        DevService service;
        try {
            service = start.start();
        } catch (DevServicesException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevServicesException(PREFIX + what + " did not start: interrupted", e);
        } catch (Exception e) {
            throw new DevServicesException(PREFIX + what + " did not start: " + e + "; its log is in " + dev.data(), e);
        }
        started.push(service);
        LOG.info(PREFIX + "started " + service.describe() + ", as nothing answered at the configured address;"
                + " it stops with the application");
        return service;
    }

    /**
     * The JVM is exiting (SIGTERM, Ctrl-C): the server's own hook stops the application, whose pools
     * close before {@link BeforeShutdown} stops the services; the hooks run at once, so this one
     * waits for that, and stops the services itself only if the application has not stopped in time.
     */
    private void stopAfterTheApplication(CountDownLatch latch) {
        try {
            if (latch.await(APPLICATION_STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopAll();
    }

    /** Stops what was started, last first, and unpoints the settings. */
    synchronized void stopAll() {
        boolean jvmExiting = false;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                jvmExiting = true; // the hook is waiting for this, and finds nothing left to stop
            }
        }
        shutdownHook = null;
        DevServicesConfigSource.clear();
        while (!started.isEmpty()) {
            DevService service = started.pop();
            service.stop();
            String stopped = PREFIX + "stopped " + service.describe();
            LOG.info(stopped);
            if (jvmExiting || Thread.currentThread().getName().equals("dblayer-dev-services-stop")) {
                // the JDK's LogManager resets itself in a hook of its own: nothing logged now would appear
                System.err.println(stopped);
            }
        }
        stopped.countDown();
    }
}
