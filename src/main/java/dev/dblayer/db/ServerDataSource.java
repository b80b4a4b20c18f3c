package dev.dblayer.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The server's DataSource named by {@code database.datasource}, looked up on first use and then
 * kept: Payara binds an application's own DataSource ({@code @DataSourceDefinition}) only after
 * CDI has started the application, so a lookup at startup would fail there. Thread-safe.
 */
final class ServerDataSource implements DataSource {

    private final String jndiName;
    private volatile DataSource target;

    ServerDataSource(String jndiName) {
        this.jndiName = jndiName;
    }

    /**
     * The DataSource bound to the name.
     *
     * @throws IllegalStateException naming {@code database.datasource} while nothing is bound to it
     */
    DataSource target() {
        DataSource found = target;
        if (found == null) {
            synchronized (this) {
                if (target == null) {
                    target = lookup(jndiName);
                }
                found = target;
            }
        }
        return found;
    }

    private static DataSource lookup(String jndiName) {
        try {
            return (DataSource) new InitialContext().lookup(jndiName);
        } catch (NamingException | ClassCastException e) {
            throw new IllegalStateException(DatabaseSettings.DATASOURCE + " is \"" + jndiName
                    + "\" but no DataSource is bound to that JNDI name in the server", e);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return target().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return target().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target().getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target().isWrapperFor(type);
    }
}
