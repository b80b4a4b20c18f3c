package dev.dblayer.server.serverds;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * The server's own DataSource on Payara, defined by the application (Payara Micro has no domain
 * configuration to put it in); on Liberty the same database is a {@code <dataSource>} in
 * {@code src/test/liberty/config/server.xml}. Not transactional, as {@code database.datasource}
 * requires. Payara binds it only after CDI has started the application, so dblayer looks it up on
 * first use, which may be on a thread of its own (the startup check's): {@code java:global}, which
 * needs no application context. A web listener, so that the server reads the annotation; it does
 * nothing else.
 */
@WebListener
@DataSourceDefinition(name = PayaraDataSource.NAME, className = "org.postgresql.ds.PGSimpleDataSource",
        serverName = "127.0.0.1", portNumber = 5432, databaseName = "dblayer_serverds_payara", user = "postgres",
        transactional = false)
public class PayaraDataSource implements ServletContextListener {

    /** Its JNDI name. */
    public static final String NAME = "java:global/jdbc/dblayerServerDs";
}
