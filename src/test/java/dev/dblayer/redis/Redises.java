package dev.dblayer.redis;

import org.eclipse.microprofile.config.Config;

/** Starts the {@link Redis} bean outside a container, as CDI would at application startup. */
public final class Redises {

    private Redises() {
    }

    /** A started Redis bean; the caller closes it with {@link #close}. */
    public static Redis start(Config config) {
        Redis redis = new Redis(config);
        redis.start();
        return redis;
    }

    /** What CDI does when the application stops. */
    public static void close(Redis redis) {
        redis.close();
    }
}
