package dev.dblayer.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/** How far a replica lags its primary, asked of the replica itself; see {@link DatabaseProbes#replicationLag}. */
final class ReplicationLag {

    /** Milliseconds behind; zero when everything received is replayed; null on a server that is not replaying. */
    private static final String POSTGRESQL = "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL"
            + " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            + " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000 END";

    private ReplicationLag() {
    }

    static Optional<Duration> of(Connection connection, DatabaseType type) throws SQLException {
        return switch (type) {
            case POSTGRESQL -> postgresql(connection);
            case MYSQL -> mysql(connection);
        };
    }

    private static Optional<Duration> postgresql(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(POSTGRESQL)) {
            result.next();
            double millis = result.getDouble(1);
            return result.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(Math.max(0, millis))));
        }
    }

    /** {@code SHOW REPLICA STATUS} (MySQL 8.0.22+, MariaDB 10.5.1+), else {@code SHOW SLAVE STATUS}. */
    private static Optional<Duration> mysql(Connection connection) throws SQLException {
        try {
            return behind(connection, "SHOW REPLICA STATUS");
        } catch (SQLException e) {
            return behind(connection, "SHOW SLAVE STATUS");
        }
    }

    private static Optional<Duration> behind(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
            if (!result.next()) {
                return Optional.empty(); // not a replica
            }
            long seconds = -1;
            boolean found = false;
            for (String column : new String[] {"Seconds_Behind_Source", "Seconds_Behind_Master"}) {
                try {
                    seconds = result.getLong(column);
                    found = !result.wasNull();
                    break;
                } catch (SQLException noSuchColumn) {
                    // the other name
                }
            }
            return found ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        }
    }
}
