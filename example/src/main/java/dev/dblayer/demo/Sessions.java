package dev.dblayer.demo;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import dev.dblayer.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Login tokens in Redis, as the original backend keeps them: {@code fba:token:{user}:{session}}
 * holds the token and expires; "log out everywhere" deletes the user's whole prefix.
 */
@ApplicationScoped
public class Sessions {

    static final String PREFIX = "fba:token";
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    private final SecureRandom random = new SecureRandom();

    @Inject
    UnifiedJedis redis; // every mode: standalone, Sentinel, Cluster

    @Inject
    RedisKeys keys;

    /** A new session for {@code userId}: its id and token. */
    public Login login(long userId) {
        String session = UUID.randomUUID().toString();
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        redis.set(key(userId, session), token, SetParams.setParams().ex(TOKEN_LIFETIME.toSeconds()));
        return new Login(userId, session, token);
    }

    /** Whether {@code token} is the live token of that session. */
    public boolean valid(long userId, String session, String token) {
        return token != null && token.equals(redis.get(key(userId, session)));
    }

    /** Ends every session of {@code userId}; {@code fba:token:1} never touches user 10's. */
    public long logoutEverywhere(long userId) {
        return keys.deleteByPrefix(PREFIX + ":" + userId);
    }

    private static String key(long userId, String session) {
        return PREFIX + ":" + userId + ":" + session;
    }

    /** What a login returns. */
    public record Login(long userId, String session, String token) {
    }
}
