package dev.dblayer.health;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseProbes;
import dev.dblayer.db.PoolStatistics;
import dev.dblayer.internal.Lifecycle;
import dev.dblayer.internal.SettingsReader;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The wait at shutdown: when the application stops, after the readiness checks have turned DOWN
 * ({@link Lifecycle#READINESS_DOWN}) and before Redis and the database close their pools, waits up
 * to {@value #TIMEOUT} (default 20 s) for the database work in flight to end: no transaction running
 * (begun by {@code @Transactional} or {@code Transactions}, not yet committed or rolled back) and no
 * pooled connection in use. HikariCP's {@code close()} aborts the connections still in use,
 * so closing a busy pool would roll back transactions in the middle of their requests; closing an
 * idle one loses nothing. A request that is only reading, between two statements, is not waited for:
 * it has nothing to lose, and its next statement answers 503. Nor is an open request EntityManager:
 * on Payara Micro a request overtaken by the application's stop never ends its request scope
 * (measured), and the wait would always run to its timeout.
 *
 * <p>Why a wait and not a drain that keeps serving: on Open Liberty 26 the server stops accepting
 * connections at SIGTERM and lets the application hear of the stop only after the requests in
 * flight have finished; Payara Micro 6 answers new requests 503 (later in the stop 500) from SIGTERM
 * on and stops the application about 2 s later, whether requests still run or not (docs/scale-out.md,
 * "Rolling restarts"). No new request is served after SIGTERM, so serving during a drain period is the job of the
 * Kubernetes {@code preStop} hook, before SIGTERM; this wait covers what is still running after it.
 */
@ApplicationScoped
class ShutdownDrain {

    /** The longest wait for work in flight at shutdown: 0s (do not wait) to 10m. */
    static final String TIMEOUT = "database.shutdown.timeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    /** How often the wait looks at the counts. */
    static final Duration POLL = Duration.ofMillis(20);

    private static final Logger LOG = Logger.getLogger(ShutdownDrain.class.getName());

    /** The database work in flight at one moment. */
    record Work(int transactions, int connections) {

        boolean none() {
            return transactions <= 0 && connections <= 0;
        }

        @Override
        public String toString() {
            return transactions + (transactions == 1 ? " transaction" : " transactions") + " running and "
                    + connections + (connections == 1 ? " connection" : " connections") + " in use";
        }
    }

    /** How a wait ended: the work still in flight (none when it ended in time) and how long it took. */
    record Outcome(Work left, Duration waited) {
    }

    /** Sleeps; a parameter so that the wait can be tested without time passing. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Database database;
    private final Duration timeout;

    /** For CDI's proxy. */
    ShutdownDrain() {
        this.database = null;
        this.timeout = null;
    }

    @Inject
    ShutdownDrain(Database database, Config config) {
        this.database = database;
        this.timeout = readTimeout(SettingsReader.of(config));
    }

    /** {@value #TIMEOUT}, validated: a bad value fails the deployment naming the key and the value. */
    static Duration readTimeout(SettingsReader settings) {
        return settings.duration(TIMEOUT, DEFAULT_TIMEOUT, Duration.ZERO, MAX_TIMEOUT);
    }

    /** Created at startup, so that the setting is read (and checked) while the application's configuration is in reach. */
    void onStart(@Observes @Priority(Lifecycle.HEALTH_START) @Initialized(ApplicationScoped.class)
            Object applicationStarted) {
        LOG.fine(() -> "dblayer: at shutdown, work in flight is waited for up to " + SettingsReader.format(timeout));
    }

    void onStop(@Observes @Priority(Lifecycle.DRAIN) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        boolean jvmExiting = jvmExiting();
        try {
            Work now = inFlight();
            if (now.none()) {
                report(Level.INFO, "application stopping; readiness DOWN; no database work in flight", jvmExiting);
                return;
            }
            report(Level.INFO, "application stopping; readiness DOWN; waiting up to " + SettingsReader.format(timeout)
                    + " for " + now, jvmExiting);
            Outcome outcome = await(this::inFlight, timeout, System::nanoTime, duration -> Thread.sleep(duration.toMillis()));
            if (outcome.left().none()) {
                report(Level.INFO, "database work in flight ended after " + outcome.waited().toMillis() + " ms",
                        jvmExiting);
            } else {
                report(Level.WARNING, TIMEOUT + "=" + SettingsReader.format(timeout) + " passed with " + outcome.left()
                        + "; closing anyway: their transactions are rolled back", jvmExiting);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report(Level.WARNING, "interrupted while waiting for database work in flight; closing now", jvmExiting);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dblayer: could not wait for database work in flight; closing now", e);
        }
    }

    /**
     * Logs {@code message}; while the JVM exits (SIGTERM) also on standard error, which both servers
     * keep: the JDK's LogManager resets itself in a shutdown hook of its own, and on Liberty 26 and
     * Payara Micro 6 nothing logged through java.util.logging from the application's stop appears.
     */
    private static void report(Level level, String message, boolean jvmExiting) {
        LOG.log(level, "dblayer: " + message);
        if (jvmExiting) {
            System.err.println("dblayer: " + level + ": " + message);
        }
    }

    /** Whether the JVM is running its shutdown hooks: it then refuses a new one. */
    static boolean jvmExiting() {
        Thread probe = new Thread(() -> { }, "dblayer-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private Work inFlight() {
        int transactions = DatabaseProbes.transactionsInFlight(database);
        // With the server's DataSource there is no pool of dblayer's own to count.
        int connections = database.poolStatistics().map(PoolStatistics::active).orElse(0);
        return new Work(transactions, connections);
    }

    /**
     * Looks at {@code work} every {@link #POLL} until there is none or {@code timeout} has passed
     * since the call, as {@code nanos} tells time.
     */
    static Outcome await(Supplier<Work> work, Duration timeout, LongSupplier nanos, Sleeper sleeper)
            throws InterruptedException {
        long start = nanos.getAsLong();
        Work now = work.get();
        while (!now.none()) {
            long elapsed = nanos.getAsLong() - start;
            if (elapsed >= timeout.toNanos()) {
                break;
            }
            sleeper.sleep(POLL.compareTo(timeout.minusNanos(elapsed)) < 0 ? POLL : timeout.minusNanos(elapsed));
            now = work.get();
        }
        return new Outcome(now, Duration.ofNanos(nanos.getAsLong() - start));
    }
}
