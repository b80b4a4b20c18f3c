package dev.dblayer.db;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Creates the configured database when it does not exist ({@code database.create-database=true}),
 * for development and demos; production databases are usually created by their administrators.
 * Connects to the server's administrative database ({@code postgres}, or none on MySQL). The
 * database name has been validated ({@code [A-Za-z0-9_$-]}), so quoting it is enough.
 */
final class DatabaseCreator {

    private static final Logger LOG = Logger.getLogger(DatabaseCreator.class.getName());

    private DatabaseCreator() {
    }

    static void createIfMissing(DatabaseSettings settings, Driver driver, Duration timeout) throws SQLException {
        Properties properties = settings.type().attemptTimeouts(timeout);
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        String server = settings.serverUrl(settings.type() == DatabaseType.POSTGRESQL ? "postgres" : "");
        try (Connection connection = driver.connect(server, properties)) {
            if (connection == null) {
                throw new SQLException("the JDBC driver does not accept " + server);
            }
            if (settings.type() == DatabaseType.MYSQL) {
                try (Statement statement = connection.createStatement()) {
                    if (statement.executeUpdate("CREATE DATABASE IF NOT EXISTS `" + settings.database()
                            + "` CHARACTER SET " + settings.charset()) > 0) {
                        LOG.info(() -> "dblayer: created database " + settings.database());
                    }
                }
                return;
            }
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, settings.database());
                try (ResultSet result = exists.executeQuery()) {
                    if (result.next()) {
                        return;
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE \"" + settings.database() + "\"");
                LOG.info(() -> "dblayer: created database " + settings.database());
            }
        }
    }
}
