package dev.dblayer.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.dblayer.db.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The lower bound: the same SQL by plain JDBC on dblayer's own pool, in the same server. */
@ApplicationScoped
public class JdbcPath {

    private static final String SELECT = "SELECT id, name, counter FROM bench_item WHERE id = ?";
    private static final String UPDATE = "UPDATE bench_item SET name = ?, counter = ? WHERE id = ?";

    @Inject
    Database database;

    public Item read(long id) {
        try (Connection connection = database.dataSource().getConnection()) {
            return select(connection, id);
        } catch (SQLException e) {
            throw new DatabaseFailure(e);
        }
    }

    /** The same statements the JPA paths send: SELECT by id, then UPDATE, in one transaction. */
    public Item increment(long id) {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                Item item = select(connection, id);
                try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                    update.setString(1, item.name());
                    update.setLong(2, item.counter() + 1);
                    update.setLong(3, id);
                    update.executeUpdate();
                }
                connection.commit();
                return new Item(id, item.name(), item.counter() + 1);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DatabaseFailure(e);
        }
    }

    private static Item select(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Item(row.getLong(1), row.getString(2), row.getLong(3)) : null;
            }
        }
    }

    /** A JDBC failure, unchecked, for BenchApi's mapper. */
    static final class DatabaseFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DatabaseFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
