package dev.dblayer.server.ee11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Inner;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Items;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.UserTransaction;

/**
 * A Jakarta EE 11 server makes every persistence unit's EntityManager injectable itself (Persistence
 * 3.2), dblayer's unit included: {@code @Inject EntityManager} still resolves to dblayer's request
 * EntityManager, with no ambiguity at deployment, and a unit the server manages is reached through the
 * qualifier its {@code persistence.xml} (in the 3.2 namespace) gives it.
 */
@ExtendWith(ArquillianExtension.class)
class ServerEntityManagersInServerIT {

    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_it");

    @Inject
    EntityManager entityManager;

    @Inject
    @ServerManaged
    EntityManager serverManaged;

    @Inject
    Database database;

    @Inject
    Items items;

    @Resource
    UserTransaction transaction;

    @Deployment
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
        settings.put("database.persistence-unit", "test");
        return Deployments.war("server-entity-managers", settings)
                .addClasses(ServerEntityManagersInServerIT.class, ServerManaged.class, Items.class, Inner.class,
                        Item.class, Token.class, LocalDatabases.class)
                .addAsResource("ee11/persistence.xml", "META-INF/persistence.xml");
    }

    @Test
    void theDefaultEntityManagerIsDblayersRequestEntityManager() {
        assertSame(database.entityManagerFactory().getMetamodel(), entityManager.getMetamodel(),
                "@Inject EntityManager is on dblayer's unit");
        String name = "ee11-" + UUID.randomUUID();
        items.create(name);
        assertEquals(1, items.count(name), "a row written through it is committed and read back");
        assertEquals(DATABASE, entityManager.createNativeQuery("SELECT current_database()").getSingleResult(),
                "on dblayer's PostgreSQL database");
    }

    @Test
    void theServersEntityManagerIsReachedThroughItsQualifier() throws Exception {
        assertNotSame(database.entityManagerFactory().getMetamodel(), serverManaged.getMetamodel(),
                "@Inject @ServerManaged EntityManager is on the other unit");
        transaction.begin();
        try {
            Connection connection = serverManaged.unwrap(Connection.class);
            assertEquals("H2", connection.getMetaData().getDatabaseProductName(),
                    "the server's unit is on the server's default DataSource");
        } finally {
            transaction.rollback();
        }
    }
}
