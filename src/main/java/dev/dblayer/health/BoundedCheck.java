package dev.dblayer.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.dblayer.internal.CheckEvents;
import dev.dblayer.internal.Errors;
import dev.dblayer.internal.Lifecycle;
import dev.dblayer.internal.SettingsReader;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * What dblayer's three checks share: a deadline read from the check's own setting, probes on
 * threads of their own that answer within it however long the dependency hangs
 * ({@link BoundedProbe}), a WARNING when a failure's reason first appears ({@link FailureLog}), and
 * shutdown with the application. A subclass says what one probe does and what data it reports.
 *
 * <p>Each check is created when the application starts, while the application's configuration is
 * in reach: on Payara, a bean first created on a {@code /health} request thread cannot see it.
 */
abstract class BoundedCheck implements HealthCheck {

    static final Duration DEFAULT_DEADLINE = Duration.ofMillis(300);
    static final Duration LEAST_DEADLINE = Duration.ofMillis(50);
    static final String SHUTTING_DOWN = "shutting down";

    private final String name;
    private final Duration deadline;
    private final Logger log;
    private final FailureLog failures;
    private final List<BoundedProbe<?>> probes = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    /**
     * Who measures the checks' answers ({@code dev.dblayer.metrics}); nobody by default. One for all
     * checks of the application: dblayer's classes are the application's own (WEB-INF/lib), and the
     * checks are reached through CDI's proxies, which forward no call to set a field of the instance.
     */
    private static volatile CheckEvents events = CheckEvents.NONE;

    /** For CDI's proxy. */
    BoundedCheck() {
        this.name = null;
        this.deadline = null;
        this.log = null;
        this.failures = null;
    }

    /**
     * @param name       the check's name in the health answer
     * @param config     the application's configuration
     * @param setting    the key of the check's deadline (at least 50 ms, default 300 ms)
     * @param dependency what the log lines call the checked dependency
     */
    BoundedCheck(String name, Config config, String setting, Logger log, String dependency) {
        this.name = name;
        this.deadline = SettingsReader.of(config).duration(setting, DEFAULT_DEADLINE, LEAST_DEADLINE);
        this.log = log;
        this.failures = new FailureLog(log, dependency);
    }

    /**
     * Answers, and tells {@link #listen its listener} how and how fast. Not final: the health
     * implementations call it through CDI's proxy, which forwards no final method.
     */
    @Override
    public HealthCheckResponse call() {
        long start = System.nanoTime();
        HealthCheckResponse answer = answer();
        events.answered(name, answer.getStatus() == HealthCheckResponse.Status.UP, System.nanoTime() - start);
        return answer;
    }

    /** The check's answer: what one {@link #call()} does. */
    abstract HealthCheckResponse answer();

    /** Reports every answer of every check to {@code listener} from now on. */
    static void listen(CheckEvents listener) {
        events = listener;
    }

    /** The deadline of one probe. */
    final Duration deadline() {
        return deadline;
    }

    /** A response named after this check. */
    final HealthCheckResponseBuilder response() {
        return HealthCheckResponse.named(name);
    }

    /** A probe thread of this check's own, closed with the check. */
    final <T> BoundedProbe<T> newProbe(String threadName) {
        BoundedProbe<T> probe = new BoundedProbe<>(threadName);
        probes.add(probe);
        return probe;
    }

    /**
     * Runs {@code attempt} (which answers its latency in ms) on {@code probe} within the deadline:
     * UP with {@code latencyMs}, or the {@link #failed} answer with a reason made of {@code context}
     * and the failure, or, when the deadline passed, {@code timedOut}, the deadline and the last
     * finished attempt's failure.
     */
    final HealthCheckResponse run(HealthCheckResponseBuilder response, BoundedProbe<Long> probe,
            Callable<Long> attempt, String timedOut, String context) {
        String reason;
        Throwable cause = null;
        try {
            long latencyMillis = probe.run(attempt, deadline);
            failures.recovered();
            return passedData(response.withData("latencyMs", latencyMillis)).up().build();
        } catch (TimeoutException e) {
            String last = probe.lastFailure();
            reason = timedOut + SettingsReader.format(deadline) + (last == null ? "" : "; last attempt: " + last);
        } catch (ExecutionException e) {
            cause = e.getCause();
            reason = context + describe(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted";
        }
        failures.failed(reason, cause);
        return failed(response, reason);
    }

    /** The check passed without a probe (its proof came from elsewhere). */
    final HealthCheckResponse passed(HealthCheckResponseBuilder response) {
        failures.recovered();
        return response.up().build();
    }

    /** Data a passed probe adds to the answer; none by default. */
    HealthCheckResponseBuilder passedData(HealthCheckResponseBuilder response) {
        return response;
    }

    /** The answer for a failure: DOWN with the reason. */
    HealthCheckResponse failed(HealthCheckResponseBuilder response, String reason) {
        return response.withData("reason", reason).down().build();
    }

    /** A probe's failure in a few words for the health data; never a secret. */
    String describe(Throwable cause) {
        return Errors.rootMessage(cause);
    }

    void onStart(@Observes @Priority(Lifecycle.HEALTH_START) @Initialized(ApplicationScoped.class)
            Object applicationStarted) {
        log.fine(() -> "dblayer: " + name + " check, deadline " + SettingsReader.format(deadline));
    }

    /** Whether the application is stopping; the readiness checks then answer DOWN at once. */
    final boolean stopping() {
        return stopping;
    }

    void onStopping(@Observes @Priority(Lifecycle.READINESS_DOWN) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        stopping = true;
    }

    /** DOWN, reason {@value #SHUTTING_DOWN}: the application is stopping. */
    final HealthCheckResponse shuttingDown(HealthCheckResponseBuilder response) {
        return response.withData("reason", SHUTTING_DOWN).down().build();
    }

    void onStop(@Observes @Priority(Lifecycle.HEALTH_STOP) @BeforeDestroyed(ApplicationScoped.class)
            Object applicationStopping) {
        close();
    }

    /** Stops the probe threads, then {@link #closeResources}. Idempotent. */
    @PreDestroy
    final void close() {
        probes.forEach(BoundedProbe::close);
        closeResources();
    }

    /** What a subclass holds besides its probe threads, closed after them. */
    void closeResources() {
    }
}
