package dev.dblayer.redis;

import java.net.SocketTimeoutException;
import java.util.Locale;

import dev.dblayer.internal.Errors;
import dev.dblayer.internal.SettingsReader;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/**
 * Why the startup PING failed, and the message that says so: a timeout, rejected credentials or
 * anything else. Each message names where (host:port, or the mode's nodes) and the settings of the
 * configured mode to check, never a password.
 */
final class RedisFailures {

    /** The three kinds of failure, each with its own message. */
    enum Kind {
        TIMEOUT, AUTHENTICATION, OTHER
    }

    private RedisFailures() {
    }

    /** Classifies a failure of the startup PING by its cause chain. */
    static Kind classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JedisAccessControlException || isAuthenticationError(t.getMessage())) {
                return Kind.AUTHENTICATION;
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return Kind.TIMEOUT;
            }
        }
        return Kind.OTHER;
    }

    /** Whether a server error reply means the user or password was refused. */
    static boolean isAuthenticationError(String message) {
        if (message == null) {
            return false;
        }
        String text = message.toUpperCase(Locale.ROOT);
        return text.startsWith("WRONGPASS") || text.startsWith("NOAUTH")
                || text.contains("INVALID USERNAME-PASSWORD PAIR")
                || text.contains("INVALID PASSWORD")
                // the client sends a password to a server that has none
                || text.contains("WITHOUT ANY PASSWORD CONFIGURED");
    }

    /** The log and exception message for {@code error}, of kind {@link #classify}. */
    static String message(RedisSettings settings, Throwable error) {
        String where = "Redis at " + settings.address() + (settings.tls().enabled() ? " (TLS)" : "");
        String cause = Errors.rootMessage(error);
        return switch (classify(error)) {
            case TIMEOUT -> where + " did not answer the startup PING within " + SettingsReader.format(settings.timeout())
                    + " (" + RedisSettings.TIMEOUT + "): check " + addressSettings(settings)
                    + (settings.mode() == RedisTopology.Mode.STANDALONE ? ", that the server runs" : ", that the servers run")
                    + " and that no firewall drops the packets (" + cause + ")";
            case AUTHENTICATION -> where + " refused the credentials of user "
                    + settings.username().orElse("default") + ": check " + credentialSettings(settings) + " (" + cause + ")";
            case OTHER -> where + " failed the startup PING: " + cause + "; check " + otherSettings(settings, cause);
        };
    }

    /** Where the client looks for its servers, in the configured mode. */
    private static String addressSettings(RedisSettings settings) {
        return switch (settings.mode()) {
            case STANDALONE -> RedisSettings.HOST + " and " + RedisSettings.PORT;
            case SENTINEL -> RedisTopology.SENTINEL_NODES + " (the sentinels), " + RedisTopology.SENTINEL_MASTER
                    + " (the name they monitor), that the primary they name is reachable from here";
            case CLUSTER -> RedisTopology.CLUSTER_NODES + " (the seeds), that the addresses the nodes announce"
                    + " (CLUSTER NODES) are reachable from here";
        };
    }

    private static String credentialSettings(RedisSettings settings) {
        String data = RedisSettings.USERNAME + " and " + RedisSettings.PASSWORD;
        return switch (settings.mode()) {
            case STANDALONE -> data + " (or the user info of " + RedisSettings.URL + ")";
            case SENTINEL -> data + " (the Redis servers), and " + RedisTopology.SENTINEL_USERNAME + " and "
                    + RedisTopology.SENTINEL_PASSWORD + " when the sentinels require auth";
            case CLUSTER -> data + " (every node of the cluster)";
        };
    }

    private static String otherSettings(RedisSettings settings, String cause) {
        if (cause.contains("DB index")) {
            return RedisSettings.DATABASE + ": the server has fewer databases (its \"databases\" setting)";
        }
        String tls = RedisSettings.SSL + " (a TLS port needs " + RedisSettings.SSL + "=true, and the reverse)";
        return settings.mode() == RedisTopology.Mode.STANDALONE
                ? RedisSettings.HOST + ", " + RedisSettings.PORT + " and " + tls
                : addressSettings(settings) + ", and " + tls;
    }

}
