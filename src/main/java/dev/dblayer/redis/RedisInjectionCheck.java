package dev.dblayer.redis;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.dblayer.redis.RedisTopology.Mode;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A CDI extension that notes every injection point of a mode-specific Jedis client
 * ({@link RedisClient}, {@link RedisSentinelClient}, {@link RedisClusterClient}), so that
 * {@link Redis} can fail the deployment when one does not match the configured mode, with a message
 * naming the injection point and {@code UnifiedJedis}, the type every mode has.
 *
 * <p>Public only because CDI instantiates extensions through {@link java.util.ServiceLoader}; not
 * for applications. Thread-safe.
 */
public final class RedisInjectionCheck implements Extension {

    private static final Map<Class<?>, Mode> MODES = Map.of(
            RedisClient.class, Mode.STANDALONE,
            RedisSentinelClient.class, Mode.SENTINEL,
            RedisClusterClient.class, Mode.CLUSTER);

    /** Injection point (as CDI describes it) to the mode its type needs. */
    private final Map<String, Mode> injectionPoints = new ConcurrentHashMap<>();

    /** Notes the injection points of a mode-specific client type. */
    void onInjectionPoint(@Observes ProcessInjectionPoint<?, ?> event) {
        InjectionPoint point = event.getInjectionPoint();
        Type type = point.getType();
        if (type instanceof Class<?> && MODES.containsKey(type)) {
            injectionPoints.put(point.toString(), MODES.get(type));
        }
    }

    /**
     * Throws {@link IllegalStateException} (failing the deployment when called at startup) if an
     * injection point needs another mode than {@code configured}.
     */
    void check(Mode configured) {
        List<String> wrong = injectionPoints.entrySet().stream()
                .filter(entry -> entry.getValue() != configured)
                .map(entry -> entry.getKey() + " needs " + entry.getValue().label() + " mode")
                .sorted()
                .toList();
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("Redis is configured in " + configured.label() + " mode, which gives a "
                    + typeOf(configured).getSimpleName() + ", but " + String.join("; ", wrong)
                    + ". Inject redis.clients.jedis.UnifiedJedis, which works in every mode, or "
                    + typeOf(configured).getName() + " (see docs/redis.md)");
        }
    }

    /** {@code client} as {@code type}, or the same explanation when the mode gives another type. */
    static <T extends UnifiedJedis> T as(Class<T> type, UnifiedJedis client, Mode configured) {
        if (!type.isInstance(client)) {
            throw new IllegalStateException("Redis is configured in " + configured.label() + " mode, which gives a "
                    + typeOf(configured).getSimpleName() + ", not a " + type.getSimpleName() + " (that needs "
                    + MODES.get(type).label() + " mode). Inject redis.clients.jedis.UnifiedJedis, which works in "
                    + "every mode (see docs/redis.md)");
        }
        return type.cast(client);
    }

    private static Class<?> typeOf(Mode mode) {
        return switch (mode) {
            case STANDALONE -> RedisClient.class;
            case SENTINEL -> RedisSentinelClient.class;
            case CLUSTER -> RedisClusterClient.class;
        };
    }
}
