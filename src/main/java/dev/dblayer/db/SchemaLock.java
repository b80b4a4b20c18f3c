package dev.dblayer.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.dblayer.internal.SettingsReader;

/**
 * The lock one instance at a time holds while it deploys the persistence unit with schema
 * generation, so that instances starting together on one database do not run the same DDL at once
 * (EclipseLink's {@code create} looks for each table, then creates the missing ones: two instances
 * both find a table missing, and the loser's {@code CREATE TABLE} fails and is logged).
 *
 * <ul>
 * <li>PostgreSQL: the session advisory lock {@code pg_advisory_lock(KEY)}, KEY the first 8 bytes
 *     of the SHA-256 of {@code dblayer.schema:DATABASE} as a signed 64-bit number.
 * <li>MySQL and MariaDB: {@code GET_LOCK('dblayer.schema:DATABASE')}; these names are server-wide,
 *     hence the database's name in it (a hash of it when the name would pass 64 characters).
 * </ul>
 *
 * DATABASE is the connection's own database ({@code current_database()}, {@code DATABASE()}), the
 * same however it is configured. Both are session locks, held on a connection of the lock's own
 * (outside dblayer's pool, so that a pool of one cannot deadlock): the server releases it when that
 * connection ends, so an instance killed while holding it keeps no one waiting. Waiting is bounded by
 * {@code database.schema-generation.lock-timeout}; the lock is tried every {@link #POLL}.
 *
 * <p>Not thread-safe: one deployment holds it, and {@link #close()} releases it.
 */
final class SchemaLock implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SchemaLock.class.getName());
    /** How often a waiting instance tries the lock again. */
    static final Duration POLL = Duration.ofMillis(50);
    static final String PREFIX = "dblayer.schema:";
    /** The longest name MySQL's GET_LOCK accepts. */
    private static final int MYSQL_NAME_LIMIT = 64;
    private static final SchemaLock NOT_NEEDED = new SchemaLock(null, null, null, null);

    private final Connection connection;
    private final DatabaseType type;
    private final String database;
    private final Object key;

    private SchemaLock(Connection connection, DatabaseType type, String database, Object key) {
        this.connection = connection;
        this.type = type;
        this.database = database;
        this.key = key;
    }

    /** A lock that holds nothing, for a deployment that generates no schema. */
    static SchemaLock notNeeded() {
        return NOT_NEEDED;
    }

    /**
     * Takes the lock on {@code connection}, waiting at most {@code timeout} for another instance
     * that holds it. The lock owns the connection from here on: it is closed by {@link #close()},
     * or at once if the lock cannot be had.
     *
     * @throws IllegalStateException if another instance held it for all of {@code timeout}
     * @throws SQLException if the database fails the statements
     */
    static SchemaLock acquire(DatabaseType type, Connection connection, Duration timeout) throws SQLException {
        try {
            String database = currentDatabase(type, connection);
            Object key = key(type, database);
            SchemaLock lock = new SchemaLock(connection, type, database, key);
            lock.await(timeout);
            return lock;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The lock's key on PostgreSQL (a {@code Long}) or its name on MySQL (a {@code String}) for {@code database}. */
    static Object key(DatabaseType type, String database) {
        String name = PREFIX + database;
        byte[] digest = sha256(name);
        return switch (type) {
            case POSTGRESQL -> {
                long key = 0;
                for (int i = 0; i < Long.BYTES; i++) {
                    key = (key << 8) | (digest[i] & 0xff);
                }
                yield key;
            }
            case MYSQL -> name.length() <= MYSQL_NAME_LIMIT ? name
                    : PREFIX + HexFormat.of().formatHex(digest, 0, (MYSQL_NAME_LIMIT - PREFIX.length()) / 2);
        };
    }

    private void await(Duration timeout) throws SQLException {
        if (tryLock()) {
            LOG.fine(() -> "dblayer: took the schema lock " + describe());
            return;
        }
        LOG.info(() -> "dblayer: another instance is generating the schema of database " + database
                + "; waiting up to " + SettingsReader.format(timeout) + " for its lock " + describe());
        long began = System.nanoTime();
        long deadline = began + timeout.toNanos();
        while (!tryLock()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("Another instance has held the schema lock " + describe()
                        + " for more than " + DatabaseSettings.SCHEMA_GENERATION_LOCK_TIMEOUT + "="
                        + SettingsReader.format(timeout) + " while it deploys the persistence unit; the server"
                        + " releases it when that deployment ends or that instance's connection closes. If its"
                        + " schema generation takes longer, raise " + DatabaseSettings.SCHEMA_GENERATION_LOCK_TIMEOUT);
            }
            sleep(POLL);
        }
        long waited = (System.nanoTime() - began) / 1_000_000;
        LOG.info(() -> "dblayer: waited " + waited + " ms for the schema lock " + describe()
                + "; the other instance has deployed, so the schema is there");
    }

    private boolean tryLock() throws SQLException {
        String sql = switch (type) {
            case POSTGRESQL -> "SELECT pg_try_advisory_lock(?)";
            case MYSQL -> "SELECT GET_LOCK(?, 0)";
        };
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, key);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                // GET_LOCK answers NULL on an error, which counts as not taken (and is tried again)
                return switch (type) {
                    case POSTGRESQL -> result.getBoolean(1);
                    case MYSQL -> result.getInt(1) == 1;
                };
            }
        }
    }

    /**
     * Releases the lock and closes its connection. A failed release is logged; the connection is
     * then aborted, so that a server's pool cannot hand out a connection that still holds the lock.
     */
    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        String sql = switch (type) {
            case POSTGRESQL -> "SELECT pg_advisory_unlock(?)";
            case MYSQL -> "SELECT RELEASE_LOCK(?)";
        };
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, key);
            statement.executeQuery().close();
            LOG.fine(() -> "dblayer: released the schema lock " + describe());
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "dblayer: releasing the schema lock " + describe() + " failed; closing its"
                    + " connection, which releases it", e);
            abort();
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(Level.FINE, "dblayer: closing the schema lock's connection failed", e);
            }
        }
    }

    private void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "dblayer: aborting the schema lock's connection failed", e);
        }
    }

    /** The lock as an operator would look for it: {@code pg_advisory_lock(KEY)} or {@code GET_LOCK('NAME')}. */
    private String describe() {
        return switch (type) {
            case POSTGRESQL -> "pg_advisory_lock(" + key + ")";
            case MYSQL -> "GET_LOCK('" + key + "')";
        } + " of database " + database;
    }

    private static String currentDatabase(DatabaseType type, Connection connection) throws SQLException {
        String sql = switch (type) {
            case POSTGRESQL -> "SELECT current_database()";
            case MYSQL -> "SELECT DATABASE()";
        };
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            result.next();
            String name = result.getString(1);
            if (name == null) {
                // Connector/J with a URL that names no database: the unit's tables go nowhere anyway
                throw new IllegalStateException("the connection has no current database; name one in the URL");
            }
            return name;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the schema lock", e);
        }
    }
}
