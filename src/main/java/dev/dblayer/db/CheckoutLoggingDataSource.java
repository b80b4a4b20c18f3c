package dev.dblayer.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A DataSource that logs every connection check-out and check-in ({@code database.pool.echo=true},
 * the original's {@code echo_pool}). Logs at INFO to the logger {@code dev.dblayer.db.pool}.
 */
final class CheckoutLoggingDataSource extends ForwardingDataSource {

    static final Logger LOG = Logger.getLogger("dev.dblayer.db.pool");

    CheckoutLoggingDataSource(DataSource delegate) {
        super(delegate);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return echo(delegate().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return echo(delegate().getConnection(username, password));
    }

    private static Connection echo(Connection connection) {
        String id = Integer.toHexString(System.identityHashCode(connection));
        LOG.info(() -> "Connection " + id + " checked out from pool");
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        LOG.info(() -> "Connection " + id + " checked in to pool");
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
