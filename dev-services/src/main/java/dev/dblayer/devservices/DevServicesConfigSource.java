package dev.dblayer.devservices;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The settings that point dblayer at what dev services started ({@code database.host},
 * {@code database.port}, {@code redis.host}, {@code redis.port}), above every other source; empty
 * when they started nothing. Public only because MicroProfile Config finds config sources through
 * {@link java.util.ServiceLoader}; not for applications. Thread-safe.
 */
public final class DevServicesConfigSource implements ConfigSource {

    /** Above system properties (400) and environment variables (300). */
    static final int ORDINAL = 500;

    /** One application's pointers: this class is loaded once an application, from its WEB-INF/lib. */
    private static volatile Map<String, String> pointers = Map.of();

    /** Points the settings {@code values} name at what was started; replaces the last ones. */
    static void point(Map<String, String> values) {
        pointers = Map.copyOf(values);
    }

    static void clear() {
        pointers = Map.of();
    }

    /**
     * A lookup of the settings as the application configured them, without these pointers: the
     * other sources of {@code config}, highest ordinal first, each asked directly, so that no cached
     * value of the application's {@code Config} is made before the pointers are set.
     */
    static Function<String, Optional<String>> others(Config config) {
        var sources = StreamSupport.stream(config.getConfigSources().spliterator(), false)
                .filter(source -> !(source instanceof DevServicesConfigSource))
                .toList();
        return key -> sources.stream()
                .map(source -> source.getValue(key))
                .filter(value -> value != null)
                .findFirst();
    }

    @Override
    public Map<String, String> getProperties() {
        return pointers;
    }

    @Override
    public Set<String> getPropertyNames() {
        return pointers.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return pointers.get(propertyName);
    }

    @Override
    public String getName() {
        return "dblayer dev services";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
