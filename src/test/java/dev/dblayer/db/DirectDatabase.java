package dev.dblayer.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.testsupport.LocalDatabases;
import jakarta.persistence.EntityManagerFactory;

/**
 * One test's own database on the local server of one type, for the direct integration tests: made
 * fresh, used through pools and persistence units that are closed at the end, then dropped. Only
 * what it created is closed or dropped.
 */
final class DirectDatabase implements AutoCloseable {

    /** The persistence unit of {@code src/test/resources/META-INF/persistence.xml}. */
    static final String UNIT = "direct";

    final DatabaseType type;
    final String name;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    private DirectDatabase(DatabaseType type, String name) {
        this.type = type;
        this.name = name;
    }

    /** Drops {@code name} if a previous run left it, and creates it empty. */
    static DirectDatabase fresh(DatabaseType type, String name) {
        LocalDatabases.dropDatabase(type, name);
        LocalDatabases.ensureDatabase(type, name);
        return new DirectDatabase(type, name);
    }

    /** The module's settings for this database, with {@code overrides} as extra keys and values. */
    DatabaseSettings settings(String... overrides) {
        return DatabaseSettings.read(SettingsReader.of(settingsMap(overrides)));
    }

    Map<String, String> settingsMap(String... overrides) {
        Map<String, String> values = new HashMap<>(LocalDatabases.settings(type, name));
        for (int i = 0; i < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        return values;
    }

    /** A new pool, closed by {@link #close()}. */
    HikariDataSource pool(DatabaseSettings settings) {
        return closedAtEnd(ConnectionPool.create(settings));
    }

    /** The unit deployed on {@code dataSource}; closed by {@link #close()} unless the test closed it. */
    EntityManagerFactory deploy(DataSource dataSource, DatabaseSettings settings) {
        EntityManagerFactory factory = PersistenceUnits.deploy(UNIT, dataSource, settings);
        opened.push(() -> {
            if (factory.isOpen()) {
                factory.close();
            }
        });
        return factory;
    }

    <T extends AutoCloseable> T closedAtEnd(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Rows of {@code table}, read over a connection of its own; empty when the table does not exist. */
    Optional<Long> rows(String table) throws SQLException {
        if (!tableExists(table)) {
            return Optional.empty();
        }
        return Optional.of(count("SELECT COUNT(*) FROM " + table));
    }

    long itemsNamed(String itemName) throws SQLException {
        return count("SELECT COUNT(*) FROM dbl_item WHERE name = ?", itemName);
    }

    void insertItem(String itemName) throws SQLException {
        try (Connection connection = LocalDatabases.connect(type, name);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO dbl_item (name) VALUES (?)")) {
            insert.setString(1, itemName);
            insert.executeUpdate();
        }
    }

    boolean tableExists(String table) throws SQLException {
        return count("SELECT COUNT(*) FROM information_schema.tables WHERE lower(table_name) = ? AND table_schema = "
                + currentSchema(), table) > 0;
    }

    /** The data_type of a column in information_schema, in lower case. */
    String columnType(String table, String column) throws SQLException {
        try (Connection connection = LocalDatabases.connect(type, name);
                PreparedStatement query = connection.prepareStatement("SELECT data_type FROM information_schema.columns"
                        + " WHERE lower(table_name) = ? AND lower(column_name) = ? AND table_schema = " + currentSchema())) {
            query.setString(1, table);
            query.setString(2, column);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? result.getString(1).toLowerCase() : "(no such column)";
            }
        }
    }

    /** Connections the server has open to this database, seen from another database. */
    long serverConnections() throws SQLException {
        String sql = type == DatabaseType.MYSQL
                ? "SELECT COUNT(*) FROM information_schema.processlist WHERE db = ?"
                : "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = ?";
        try (Connection admin = LocalDatabases.admin(type); PreparedStatement query = admin.prepareStatement(sql)) {
            query.setString(1, name);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private String currentSchema() {
        return type == DatabaseType.MYSQL ? "DATABASE()" : "current_schema()";
    }

    private long count(String sql, String... parameters) throws SQLException {
        try (Connection connection = LocalDatabases.connect(type, name);
                PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Closes what the test opened, newest first, then drops the database. */
    @Override
    public void close() throws Exception {
        Exception failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        LocalDatabases.dropDatabase(type, name);
        if (failure != null) {
            throw failure;
        }
    }
}
