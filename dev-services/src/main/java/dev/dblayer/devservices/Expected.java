package dev.dblayer.devservices;

import java.util.Optional;

import dev.dblayer.db.DatabaseSettings;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.redis.RedisSettings;
import dev.dblayer.redis.RedisTopology;

/**
 * Where the settings expect a service that dev services may stand in for: one host and port.
 *
 * @param service what is expected, for messages ("the database", "Redis")
 * @param hostKey the setting that names the host
 * @param host the configured host, on loopback
 * @param port the configured port
 */
record Expected(String service, String hostKey, String host, int port) {

    String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /**
     * The main database, or empty when its settings do not name one host and port (a URL, a server
     * DataSource, several hosts): dev services start nothing for it then, and {@code why} says so.
     *
     * @throws DevServicesException when its host is not on loopback
     */
    static Optional<Expected> database(DatabaseSettings settings, StringBuilder why) {
        if (settings.url().isPresent()) {
            why.append(DatabaseSettings.URL + " configures it");
        } else if (settings.dataSource().isPresent()) {
            why.append(DatabaseSettings.DATASOURCE + " (a server DataSource) configures it");
        } else if (settings.hosts().size() > 1) {
            why.append(DatabaseSettings.HOST + " names several hosts");
        } else {
            return Optional.of(onLoopback(new Expected("the database", DatabaseSettings.HOST, settings.host(),
                    settings.port())));
        }
        return Optional.empty();
    }

    /**
     * Redis, or empty when the settings do not name one server by host and port (a URL, Sentinel,
     * Cluster) or want TLS, which dev services do not set up; {@code why} says so.
     *
     * @throws DevServicesException when its host is not on loopback
     */
    static Optional<Expected> redis(RedisSettings settings, SettingsReader config, StringBuilder why) {
        if (config.isSet(RedisSettings.URL)) {
            why.append(RedisSettings.URL + " configures it");
        } else if (settings.topology().mode() != RedisTopology.Mode.STANDALONE) {
            why.append("its topology is " + settings.topology().mode().label() + " (" + RedisTopology.SENTINEL_NODES + " or "
                    + RedisTopology.CLUSTER_NODES + ")");
        } else if (settings.tls().enabled()) {
            why.append(RedisSettings.SSL + "=true, and dev services start Redis without TLS");
        } else {
            return Optional.of(onLoopback(new Expected("Redis", RedisSettings.HOST, settings.host(), settings.port())));
        }
        return Optional.empty();
    }

    private static Expected onLoopback(Expected expected) {
        if (!Loopback.is(expected.host)) {
            throw new DevServicesException(DevSettings.ENABLED + "=true, but " + expected.hostKey + "=" + expected.host
                    + " is not a loopback address: dev services stand in only for a server on this machine"
                    + " (localhost, 127.0.0.1 or ::1), so that they never hide a production server that is down."
                    + " Point " + expected.hostKey + " at loopback for development, or leave " + DevSettings.ENABLED
                    + " unset everywhere else");
        }
        return expected;
    }
}
