package dev.dblayer.db;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;

/**
 * A CDI extension that notes every injection point qualified {@link Source @Source}, so that
 * {@link Database} can fail the deployment when one names a source that {@code database.sources}
 * does not configure, naming the injection point and the sources there are.
 *
 * <p>Public only because CDI instantiates extensions through {@link java.util.ServiceLoader}; not
 * for applications. Thread-safe.
 */
public final class SourceInjectionCheck implements Extension {

    /** Injection point (as CDI describes it) to the source it names. */
    private final Map<String, String> injectionPoints = new ConcurrentHashMap<>();

    /** Notes the injection points qualified {@code @Source}. */
    void onInjectionPoint(@Observes ProcessInjectionPoint<?, ?> event) {
        InjectionPoint point = event.getInjectionPoint();
        point.getQualifiers().stream()
                .filter(Source.class::isInstance)
                .map(Source.class::cast)
                .findFirst()
                .ifPresent(source -> injectionPoints.put(point.toString(), source.value()));
    }

    /**
     * Throws {@link IllegalStateException} (failing the deployment when called at startup) if an
     * injection point names a source not in {@code configured}.
     */
    void check(Collection<String> configured) {
        List<String> wrong = injectionPoints.entrySet().stream()
                .filter(entry -> !configured.contains(entry.getValue()))
                .map(entry -> "@Source(\"" + entry.getValue() + "\") at " + entry.getKey())
                .sorted()
                .toList();
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(String.join("; ", wrong) + (wrong.size() == 1 ? " names a data source"
                    : " name data sources") + " that " + DatabaseSettings.SOURCES + " does not configure; configured: "
                    + (configured.isEmpty() ? "none (set " + DatabaseSettings.SOURCES + "=NAME,... and database.sources.NAME.*)"
                            : configured.toString()));
        }
    }
}
