package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import javax.naming.InitialContext;
import javax.sql.DataSource;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.zaxxer.hikari.HikariDataSource;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Inner;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Items;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.server.serverds.PayaraDataSource;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import jakarta.inject.Inject;

/**
 * {@code database.datasource}: the persistence unit runs on a DataSource the server defines (on
 * Liberty a {@code <dataSource>} in server.xml, on Payara a {@code @DataSourceDefinition}), both on
 * the database {@code dblayer_serverds_<server>}, which no dblayer setting names; dblayer builds no pool.
 */
@ExtendWith(ArquillianExtension.class)
class ServerDataSourceInServerIT {

    /** The database of the server's DataSource (src/test/liberty/config/server.xml, {@link PayaraDataSource}). */
    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_serverds");
    private static final String LIBERTY_NAME = "jdbc/dblayerServerDs";

    @Inject
    Items items;

    @Inject
    Database database;

    @Deployment
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        boolean liberty = "liberty".equals(System.getProperty("dblayer.it.server"));
        WebArchive war = Deployments.war("server-ds",
                        Map.of("database.datasource", liberty ? LIBERTY_NAME : PayaraDataSource.NAME))
                .addClasses(ServerDataSourceInServerIT.class, Items.class, Inner.class, Item.class, Token.class,
                        LocalDatabases.class)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
        return liberty ? war : war.addClass(PayaraDataSource.class);
    }

    @Test
    void aRowWrittenThroughTheEntityManagerIsInTheServersDataSource() throws Exception {
        String name = "server-ds-" + UUID.randomUUID();
        items.create(name);

        DataSource server = (DataSource) new InitialContext().lookup(database.settings().dataSource().orElseThrow());
        try (Connection connection = server.getConnection();
                PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM dbl_item WHERE name = ?")) {
            assertEquals(DATABASE, connection.getCatalog(), "the server's DataSource is on " + DATABASE);
            count.setString(1, name);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                assertEquals(1, result.getLong(1), "the row committed through the injected EntityManager"
                        + " is read back through the server's DataSource");
            }
        }
    }

    @Test
    void dblayerBuildsNoPoolOfItsOwn() {
        assertNotNull(database.entityManagerFactory(), "the unit is deployed on the server's DataSource");
        assertTrue(database.poolStatistics().isEmpty(), "no HikariCP pool statistics: dblayer built no pool");
        assertFalse(database.dataSource() instanceof HikariDataSource,
                "the unit's DataSource is the server's, not a HikariCP pool: " + database.dataSource().getClass());
    }
}
