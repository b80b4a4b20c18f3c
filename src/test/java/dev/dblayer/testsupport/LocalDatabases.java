package dev.dblayer.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.dblayer.db.DatabaseType;

/** The PostgreSQL and MariaDB servers running on this machine, reached over loopback. */
public final class LocalDatabases {

    private LocalDatabases() {
    }

    /**
     * Database {@code name} of this server row: {@code name_liberty} or {@code name_payara}, or {@code name} itself
     * outside the servers. {@code .ci/test} runs the Liberty and the Payara rows at once, so two deployments of
     * one test must never share a database (its sessions, its tables, its drop and create). The property
     * {@code dblayer.it.server} is set in the tests' JVM (pom.xml) and in the server's (jvm.options, arquillian.xml).
     */
    public static String ofThisServer(String name) {
        String server = System.getProperty("dblayer.it.server");
        return server == null ? name : name + "_" + server;
    }

    /** Settings that point the module at the local server of {@code type} and database {@code name}. */
    public static Map<String, String> settings(DatabaseType type, String name) {
        return Map.of(
                "database.type", type.name().toLowerCase(),
                "database.host", "127.0.0.1",
                "database.schema", name);
    }

    /** The connections open to database {@code name} on the local server of {@code type}, other than the caller's. */
    public static int sessions(DatabaseType type, String name) {
        String count = type == DatabaseType.MYSQL
                ? "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ?"
                : "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = ?";
        try (Connection admin = admin(type); PreparedStatement query = admin.prepareStatement(count)) {
            query.setString(1, name);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the sessions on " + type + " database " + name, e);
        }
    }

    /** A connection to the server's administrative database (not to {@code name}). */
    public static Connection admin(DatabaseType type) throws SQLException {
        return switch (type) {
            case POSTGRESQL -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
            case MYSQL -> DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", "");
        };
    }

    /** A direct connection (no pool) to database {@code name}. */
    public static Connection connect(DatabaseType type, String name) throws SQLException {
        return switch (type) {
            case POSTGRESQL -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + name, "postgres", "");
            case MYSQL -> DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/" + name, "root", "");
        };
    }

    /** Creates database {@code name} unless it exists. */
    public static void ensureDatabase(DatabaseType type, String name) {
        try (Connection admin = admin(type); Statement statement = admin.createStatement()) {
            if (type == DatabaseType.MYSQL) {
                statement.execute("CREATE DATABASE IF NOT EXISTS " + name + " CHARACTER SET utf8mb4");
                return;
            }
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + type, e);
        }
    }

    /** Drops database {@code name} if it exists. */
    public static void dropDatabase(DatabaseType type, String name) {
        try (Connection admin = admin(type); Statement statement = admin.createStatement()) {
            statement.execute(type == DatabaseType.MYSQL
                    ? "DROP DATABASE IF EXISTS " + name
                    : "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + " on " + type, e);
        }
    }

    /** The rows {@code sql} answers on database {@code name}, each its columns' values joined by spaces. */
    public static List<String> rows(DatabaseType type, String name, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = connect(type, name); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(result.getString(i));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }
}
